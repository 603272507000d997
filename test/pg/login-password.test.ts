// The postgresql_* modules connect as login_user with login_password, over TLS as ssl_mode asks: against a
// real PostgreSQL 15 whose pg_hba wants scram-sha-256 (stream and psql routes), and on the fake transport
// for what reaches the host (the password only ever on stdin, libpq's TLS settings for psql).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LocalTransport } from '../../src/transport/index.js'
import { FakeTransport } from '../../src/transport/fake.js'
import { psqlSession } from '../../src/pg/index.js'
import { tlsAttempts } from '../../src/pg/client.js'
import { havePostgres, PG_BINDIR, startCluster, type TempCluster } from './temp-cluster.js'
import { runAs } from './run-module.js'
import { runModule } from '../modules/harness.js'
import { load, problems } from '../playbook/load-text.js'

const SECRET = 'app-s3cret pass'

describe.skipIf(!havePostgres)('login_password on a real server that wants scram-sha-256', () => {
  let pg: TempCluster
  const conn = () => ({ port: pg.port, unix_socket_dir: pg.socketDir, bindir: PG_BINDIR, login_user: 'app' })
  beforeAll(() => {
    pg = startCluster({ hba: 'local all postgres peer\nlocal all all scram-sha-256\n' })
    pg.run('psql', ['-XAtq', '-h', pg.socketDir, '-p', String(pg.port), '-c', `CREATE ROLE app LOGIN PASSWORD '${SECRET}'`])
  })
  afterAll(() => pg?.stop())

  it('connects as login_user with the password over the stream, and the result never shows it', async () => {
    const r = await runAs('root', 'postgresql_query', { ...conn(), login_password: SECRET, query: 'SELECT current_user AS who' })
    expect(r.result.query_result).toEqual([{ who: 'app' }])
    expect({ streams: r.streams, commands: r.commands }).toEqual({ streams: 1, commands: 0 })
    expect(JSON.stringify(r)).not.toContain(SECRET)
  })

  it('fails on a wrong password on both routes, without the password in the error', async () => {
    const wrong = 'not-the-password'
    const err = await runAs('root', 'postgresql_query', { ...conn(), login_password: wrong, query: 'SELECT 1' }).catch((e: Error) => e)
    expect(String(err)).toMatch(/password authentication failed for user "app"/)
    expect(String(err)).not.toContain(wrong)
  })

  it('psql reads the password from stdin: the query runs as login_user and no command line holds it', async () => {
    const commands: string[] = []
    const local = new LocalTransport({ host: 'localhost' })
    const exec = local.exec.bind(local)
    local.exec = (command, o) => (commands.push(command), exec(command, o))
    const s = psqlSession(local, { user: 'app', database: 'postgres', port: pg.port, socketDir: pg.socketDir, bindir: PG_BINDIR, password: SECRET })
    expect((await s.query('SELECT current_user AS who')).rows).toEqual([{ who: 'app' }])
    expect(commands.join('\n')).not.toContain(SECRET)
  })
})

describe('login_host, ssl_mode and ca_cert', () => {
  it('hands psql libpq sslmode and sslrootcert, and the password as the first line of stdin', async () => {
    const t = new FakeTransport('node1').respond(/psql/, { stdout: 'pgha00-begin\nwho\napp\npgha00-end 1\n' })
    t.files.set('/etc/pki/pg-ca.pem', '-----BEGIN CERTIFICATE-----\n')
    const r = await runModule('postgresql_query', { login_host: 'db.example', login_user: 'app', login_password: SECRET, ssl_mode: 'verify-full', ssl_rootcert: '/etc/pki/pg-ca.pem', query: 'SELECT current_user AS who' }, t)
    expect(r.result.query_result).toEqual([{ who: 'app' }])
    const psql = t.calls.find((c) => c.kind === 'exec')!
    expect(psql.command).toContain('h=db.example; IFS= read -r PGPASSWORD && export PGPASSWORD; PGSSLMODE=verify-full PGSSLROOTCERT=/etc/pki/pg-ca.pem PGCONNECT_TIMEOUT=5 ')
    expect(psql.command).not.toContain(SECRET)
    expect(String((psql.options as { stdin: string }).stdin).split('\n')[0]).toBe(SECRET)
  })

  it('tries TLS as libpq sslmode does, and never on a unix socket', () => {
    const o = { user: 'u', database: 'd', port: 5432, host: 'db' }
    const kinds = (mode: 'allow' | 'disable' | 'prefer' | 'require' | 'verify-ca' | 'verify-full', ca?: string) =>
      tlsAttempts({ ...o, ssl: { mode, ca } }).map((a) => (a === false ? 'plain' : a.rejectUnauthorized ? (a.checkServerIdentity ? 'verify-ca' : 'verify-full') : 'tls'))
    expect(kinds('disable')).toEqual(['plain'])
    expect(kinds('allow')).toEqual(['plain', 'tls'])
    expect(kinds('prefer')).toEqual(['tls', 'plain'])
    expect(kinds('require')).toEqual(['tls'])
    expect(kinds('require', 'CA')).toEqual(['verify-ca'])
    expect(kinds('verify-ca', 'CA')).toEqual(['verify-ca'])
    expect(kinds('verify-full', 'CA')).toEqual(['verify-full'])
    expect(tlsAttempts({ ...o, host: undefined, ssl: { mode: 'require' } })).toEqual([false])
  })

  it('refuses a verifying ssl_mode without ca_cert, and a password on two lines, at load time without showing it', () => {
    const play = (args: string) => `- hosts: all\n  tasks:\n    - community.postgresql.postgresql_query: ${args}\n`
    expect(problems(play('{ query: SELECT 1, login_host: db, ssl_mode: verify-ca }'))).toEqual([
      "3:91: parameter 'ssl_mode' of module 'postgresql_query': ssl_mode verify-ca needs ca_cert, the CA certificate to verify the server with",
    ])
    const two = problems(play('{ query: SELECT 1, login_password: "line1-s3cret\\nline2" }'))
    expect(two).toEqual(["3:81: parameter 'login_password' of module 'postgresql_query': the password is one line without NUL characters"])
    expect(two.join()).not.toContain('s3cret')
  })

  it('every module that connects takes the connection parameters and the db aliases', () => {
    for (const m of ['postgresql_user', 'postgresql_db', 'postgresql_query', 'postgresql_ext', 'postgresql_privs', 'postgresql_set', 'postgresql_slot', 'postgresql_info']) {
      const args = m === 'postgresql_db' ? '{ name: x, login_db: postgres' : m === 'postgresql_privs' ? '{ login_db: app, privs: ALL, type: database, roles: app' : `{ login_db: app${m === 'postgresql_info' ? '' : m === 'postgresql_query' ? ', query: SELECT 1' : m === 'postgresql_set' ? ', name: work_mem, value: 4MB' : ', name: x'}`
      const text = `- hosts: all\n  tasks:\n    - ${m}: ${args}, login_host: db, login_port: 5433, login_user: app, login_password: pw-s3cret, ssl_mode: require, ca_cert: /etc/ca.pem, login_unix_socket: /run/pg }\n`
      expect(() => load(text), m).not.toThrow()
    }
  })
})
