// The input side of `pgha status`: which hosts, how each is reached and queried (from its variables as a run
// resolves them), and bad input refused with its location before any host is contacted.
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigErrors } from '../../src/errors.js'
import { clusterStatus, statusTargets } from '../../src/status/index.js'

const inventory = resolve(__dirname, 'fixtures/cluster/hosts.yml')

function inputErrors(fn: () => unknown): string[] {
  try {
    fn()
  } catch (err) {
    if (err instanceof ConfigErrors) return err.errors.map((e) => e.format())
    throw err
  }
  throw new Error('expected ConfigErrors')
}

describe('statusTargets', () => {
  it('takes the hosts of primary, standby and witness only, each reached and queried as its variables say', () => {
    const { targets, secrets } = statusTargets({ inventory, connectTimeoutMs: 7000 })
    expect(targets.map((t) => t.host)).toEqual(['db1', 'db2', 'db3'])
    const [db1, db2, db3] = targets
    expect(db1.spec).toMatchObject({ address: '127.0.0.21', user: 'deploy', connectTimeoutMs: 7000, knownHostsFile: resolve(__dirname, 'fixtures/cluster/known_hosts') })
    // pg_bindir is templated from pg_prefix, as a run resolves it.
    expect(db1.pg).toEqual({ user: 'pgsys', database: 'repmgr_meta', port: 5433, bindir: '/opt/pg/bin', connectTimeoutMs: 5000 })
    // psql runs as postgres_user through sudo with the inventory's become password.
    expect(db1.become).toEqual({ become: true, user: 'pgsys', password: 'sudo-secret-42' })
    expect(db2.addresses).toEqual(['db2', '127.0.0.22', 'db2.internal'])
    expect([db1.nodeId, db2.nodeId, db3.nodeId]).toEqual([1, 2, 3])
    expect(targets.map((t) => [t.witness, t.repmgrdExpected])).toEqual([[false, true], [false, true], [true, false]])
    expect(secrets).toContain('sudo-secret-42')
  })

  it('with a repository host in group backup, the data nodes expect backups; the witness and the repository host are not read', () => {
    const { targets } = statusTargets({ inventory, extraVars: ['pgbackrest_backup_max_age_hours=30'] })
    expect(targets.map((t) => [t.host, t.pgbackrest])).toEqual([
      ['db1', { bin: '/opt/pgbackrest/bin/pgbackrest', expected: { stanza: 'main', maxAgeHours: 30 } }],
      ['db2', { bin: '/opt/pgbackrest/bin/pgbackrest', expected: { stanza: 'main', maxAgeHours: 30 } }],
      ['db3', undefined],
    ])
    expect(inputErrors(() => statusTargets({ inventory, extraVars: ['pgbackrest_backup_max_age_hours=soon'] }))[0])
      .toMatch(/hosts\.yml:\d+:\d+: db1: pgbackrest_backup_max_age_hours must be a positive number of hours, got "soon"/)
  })

  it('-e overrides inventory variables and --limit narrows the cluster', () => {
    const { targets } = statusTargets({ inventory, limit: 'standby:witness', extraVars: ['pg_port=6543'] })
    expect(targets.map((t) => [t.host, t.pg.port])).toEqual([['db2', 6543], ['db3', 6543]])
  })

  it('bad input is refused at once with every location, and clusterStatus contacts no host', async () => {
    const errors = inputErrors(() => statusTargets({ inventory, limit: 'db9', extraVars: ['{"a": '] }))
    expect(errors).toHaveLength(2)
    expect(errors.join('\n')).toMatch(/^-e #1:1:\d+: /m)
    expect(errors.join('\n')).toMatch(/^--limit:1:1: no host or group matches 'db9'/m)
    expect(inputErrors(() => statusTargets({ inventory, limit: 'app1' }))[0]).toMatch(/^--limit:1:1: --limit 'app1' selects no host of the groups primary, standby, witness/)
    expect(inputErrors(() => statusTargets({ inventory: '/nonexistent/inv.yml' }))[0]).toContain('inventory /nonexistent/inv.yml not found')
    let opened = 0
    await expect(clusterStatus({ inventory, limit: 'db9', openTransport: () => { opened++; throw new Error('contacted') } })).rejects.toBeInstanceOf(ConfigErrors)
    expect(opened).toBe(0)
  })
})
