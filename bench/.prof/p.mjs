import * as v from './vars.mjs'
const scope = { pg_data: '/var/lib/pgsql/13/data', pg: { port: 5432, version: 13 }, role: 'primary', hosts: ['a', 'b', 'c'] }
const t = '{{ pg_data }}/postgresql.conf port={{ pg.port }}'
for (let i = 0; i < 300000; i++) v.renderValue(t, scope)
const t0 = performance.now(); for (let i = 0; i < 300000; i++) v.renderValue(t, scope); console.log((performance.now() - t0) / 300000 * 1e6, 'ns')
