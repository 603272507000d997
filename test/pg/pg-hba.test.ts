// postgresql_pg_hba on the pg_hba.conf of a real PostgreSQL 15 cluster on this machine: after each run the
// server's own reading of the file (pg_hba_file_rules) shows the rules and no error; a second run plans
// nothing, check mode leaves the file as it was, and the comments and order of the file are kept.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { havePostgres, startCluster, type TempCluster } from './temp-cluster.js'
import { onHost, planned } from '../modules/file-host.js'

const INITIAL = '# TYPE  DATABASE  USER  ADDRESS  METHOD\n# local socket\nlocal   all       all            trust\nhost    all       all   127.0.0.1/32  trust\n'

describe.skipIf(!havePostgres)('postgresql_pg_hba on a real cluster', () => {
  let pg: TempCluster
  let dest: string
  const sql = (query: string) => pg.run('psql', ['-XAtq', '-h', pg.socketDir, '-p', String(pg.port), '-c', query]).trim()
  /** What the server reads from the file: type|databases|users|address|netmask|method|options, errors included. */
  const serverRules = () => sql(`SELECT type, array_to_string(database, ','), array_to_string(user_name, ','), coalesce(address, ''), coalesce(netmask, ''), auth_method, coalesce(array_to_string(options, ' '), ''), coalesce(error, '') FROM pg_hba_file_rules ORDER BY line_number`).split('\n')
  const file = () => readFileSync(dest, 'utf8')
  beforeAll(() => {
    pg = startCluster()
    dest = join(pg.data, 'pg_hba.conf')
    writeFileSync(dest, INITIAL)
  })
  afterAll(() => pg?.stop())

  it('adds replication rules for two users, one line each, ahead of the broader rules; then plans nothing', async () => {
    const args = { dest, contype: 'host', databases: 'replication', users: 'repmgr,standby', source: '10.0.0.0/24', method: 'scram-sha-256' }
    const check = await onHost('postgresql_pg_hba', args, { check: true })
    expect(planned(check)).toEqual([`update ${dest}`])
    expect(file()).toBe(INITIAL)
    await onHost('postgresql_pg_hba', args)
    expect(serverRules()).toEqual([
      'local|all|all|||trust||',
      'host|all|all|127.0.0.1|255.255.255.255|trust||',
      'host|replication|repmgr|10.0.0.0|255.255.255.0|scram-sha-256||',
      'host|replication|standby|10.0.0.0|255.255.255.0|scram-sha-256||',
    ])
    expect(file()).toContain('# local socket\n')
    expect((await onHost('postgresql_pg_hba', args)).plan.changes).toEqual([])
  })

  it('changes the method of a rule in place; address with netmask is the same source as its CIDR', async () => {
    const args = { dest, contype: 'host', databases: 'replication', users: 'repmgr', address: '10.0.0.7', netmask: '255.255.255.0', method: 'md5' }
    const r = await onHost('postgresql_pg_hba', args)
    expect(r.plan.changes[0].after).toContain('host\treplication\trepmgr\t10.0.0.7/24\tmd5\n')
    expect(serverRules()[2]).toBe('host|replication|repmgr|10.0.0.7|255.255.255.0|md5||')
    expect(serverRules()).toHaveLength(4)
    expect((await onHost('postgresql_pg_hba', args)).plan.changes).toEqual([])
  })

  it('removes rules, and writes a list of rules with options and a comment', async () => {
    await onHost('postgresql_pg_hba', { dest, contype: 'host', databases: 'replication', users: 'repmgr,standby', source: '10.0.0.0/24', state: 'absent' })
    expect(serverRules()).toHaveLength(2)
    const rules = [
      { contype: 'local', databases: 'app', users: '+app_users', method: 'peer', options: 'map=app', comment: 'app via peer' },
      { contype: 'host', databases: 'app', users: 'app', address: '192.168.1.5', method: 'scram-sha-256' },
    ]
    writeFileSync(join(pg.data, 'pg_ident.conf'), 'app root app\n')
    await onHost('postgresql_pg_hba', { dest, rules })
    const lines = serverRules()
    expect(lines, lines.join('\n')).toContain('local|app|+app_users|||peer|map=app|')
    expect(lines, lines.join('\n')).toContain('host|app|app|192.168.1.5|255.255.255.255|scram-sha-256||')
    expect(file()).toContain('local\tapp\t+app_users\tpeer\tmap=app\t#app via peer\n')
    expect((await onHost('postgresql_pg_hba', { dest, rules })).plan.changes).toEqual([])
  })

  it('overwrite keeps only the rules given, and the comments', async () => {
    const args = { dest, overwrite: true, contype: 'local', databases: 'all', users: 'all', method: 'trust' }
    await onHost('postgresql_pg_hba', args)
    expect(serverRules()).toEqual(['local|all|all|||trust||'])
    expect(file()).toBe('# TYPE  DATABASE  USER  ADDRESS  METHOD\n# local socket\nlocal   all       all            trust\n')
    expect((await onHost('postgresql_pg_hba', args)).plan.changes).toEqual([])
  })

  it('refuses rules and rule parameters together unless told to combine them', async () => {
    await expect(onHost('postgresql_pg_hba', { dest, method: 'md5', rules: [{ contype: 'local' }] })).rejects.toThrow(/method is given twice/)
    await expect(onHost('postgresql_pg_hba', { dest, contype: 'host', databases: 'a"b' })).rejects.toThrow(/cannot hold '"'/)
  })
})
