// The standby clone's decision table on real data directories of a real PostgreSQL 15: the facts' shell
// commands read them as postgres, the module decides. Refusals leave the directory exactly as it was.
import { execFileSync } from 'node:child_process'
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { havePostgres, PG_BINDIR, startCluster, type TempCluster } from './temp-cluster.js'
import { described, runAs } from './run-module.js'

describe.skipIf(!havePostgres)('standby_clone decisions on real data directories', () => {
  let up: TempCluster
  let n = 0
  const clone = (data_directory: string, extra: Record<string, unknown> = {}) =>
    runAs('postgres', 'repmgr_node', {
      action: 'standby_clone', config: '/etc/repmgr.conf', bindir: PG_BINDIR, data_directory,
      upstream_host: up.socketDir, upstream_port: up.port, upstream_user: 'postgres', upstream_db: 'postgres', service: 'pgserver', ...extra,
    }, true)
  const asPg = (cmd: string, args: string[]) => execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { encoding: 'utf8' })
  const dir = () => join(up.dir, `node${++n}`)
  /** A base backup of the upstream; -R writes standby.signal. */
  const backup = (standby: boolean) => {
    const d = dir()
    up.run('pg_basebackup', ['-D', d, '-h', up.socketDir, '-p', String(up.port), '-X', 'stream', '-c', 'fast', ...(standby ? ['-R'] : [])])
    return d
  }
  const start = (d: string) => {
    const port = up.port + n
    up.run('pg_ctl', ['-D', d, '-l', `${d}.log`, '-w', '-o', `-c listen_addresses='' -c unix_socket_directories=${up.socketDir} -p ${port}`, 'start'])
  }
  const stop = (d: string) => up.run('pg_ctl', ['-D', d, '-m', 'fast', '-w', 'stop'])
  const listing = (d: string) => readdirSync(d).sort().join(',')

  beforeAll(() => {
    up = startCluster()
  })
  afterAll(() => {
    for (const e of readdirSync(up?.dir ?? '/nonexistent').filter((e) => /^node\d+$/.test(e))) {
      try {
        up.run('pg_ctl', ['-D', join(up.dir, e), '-m', 'immediate', '-w', 'stop'])
      } catch {
        // not running
      }
    }
    up?.stop()
  })

  it('clones into a missing or empty directory', async () => {
    expect(described(await clone(join(up.dir, 'absent')))).toEqual([`clone ${join(up.dir, 'absent')} from ${up.socketDir}`])
    const empty = dir()
    asPg('mkdir', [empty])
    expect(described(await clone(empty))).toEqual([`clone ${empty} from ${up.socketDir}`])
  })

  it('leaves a running, streaming standby alone, and a stopped one too', async () => {
    const d = backup(true)
    start(d)
    for (let i = 0; i < 50 && !asPg(`${PG_BINDIR}/psql`, ['-XAtq', '-h', up.socketDir, '-p', String(up.port), '-c', 'SELECT count(*) FROM pg_stat_replication']).startsWith('1'); i++) await new Promise((r) => setTimeout(r, 100))
    const running = await clone(d)
    expect(running.plan.changes).toEqual([])
    expect(running.result.msg).toMatch(/is a running standby of .*, streaming/)
    stop(d)
    const stopped = await clone(d)
    expect(stopped.plan.changes).toEqual([])
    expect(stopped.result.msg).toMatch(/is a stopped standby of .* timeline 1 <= 1/)
  })

  it('never clones over the running primary, not even with force', async () => {
    const before = listing(up.data)
    for (const force of [false, true]) {
      await expect(clone(up.data, { force })).rejects.toThrow(/belongs to a running primary; a clone never replaces a running server: stop it first \(systemctl stop pgserver\)/)
    }
    expect(listing(up.data)).toBe(before)
  })

  it('refuses a stopped node on a newer timeline unless forced', async () => {
    const d = backup(true)
    start(d)
    up.run('pg_ctl', ['-D', d, '-w', 'promote'])
    asPg(`${PG_BINDIR}/psql`, ['-XAtq', '-h', up.socketDir, '-p', String(up.port + n), '-c', 'CHECKPOINT'])
    stop(d)
    const before = listing(d)
    await expect(clone(d)).rejects.toThrow(/is on timeline 2, newer than the upstream's 1.*repmgr_clone_force=true/)
    expect(listing(d)).toBe(before)
    expect(described(await clone(d, { force: true }))).toEqual([`clone ${d} from ${up.socketDir} (-F: replacing what is there)`])
  })

  it('refuses another cluster, a stopped former primary and a directory that is not a cluster', async () => {
    const other = dir()
    asPg(`${PG_BINDIR}/initdb`, ['-D', other])
    await expect(clone(other)).rejects.toThrow(/holds a different cluster \(system identifier \d+, the upstream's is \d+\).*repmgr_clone_force=true/)
    const formerPrimary = backup(false)
    await expect(clone(formerPrimary)).rejects.toThrow(/is a stopped primary of this cluster \(no standby.signal\)/)
    const junk = dir()
    mkdirSync(junk)
    writeFileSync(join(junk, 'notes.txt'), 'keep me')
    execFileSync('chown', ['-R', 'postgres', junk])
    await expect(clone(junk)).rejects.toThrow(/is not empty and holds no PostgreSQL cluster.*repmgr_clone_force=true/)
    expect(listing(junk)).toBe('notes.txt')
  })

  it('stops when the upstream cannot be reached', async () => {
    await expect(clone(dir(), { upstream_port: 1 })).rejects.toThrow(/cannot reach the upstream .* from this host/)
  })
})
