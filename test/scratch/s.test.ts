import { it } from 'vitest'
import { renderString } from '../../src/vars/index.js'
it('x', () => {
  const src = { file: 't', line: 1, col: 1 }
  console.log(renderString("a={{conf_quote x}} b={{#conf_quote}}{{quote y}}/repmgr -f {{quote x}}{{/conf_quote}} c={{conf_quote (conninfo host=h port=5432 user=u)}}", { x: "it's", y: '/a b', h: 'node 1', u: 'repmgr' }, src as any))
  try { renderString("a={{conf_quote x}}", { x: "a\nb" }, src as any) } catch (e) { console.log(String(e)) }
})
