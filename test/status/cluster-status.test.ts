// The whole of `pgha status` on fake hosts answering through psql: every node read, the report, the exit
// code (0 healthy, 2 problems, 4 a node unreachable, 1 bad input) and the printed output without secrets.
import { resolve } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { UnreachableError } from '../../src/errors.js'
import { main } from '../../src/cli/index.js'
import { exitCodeOf } from '../../src/cli/exit-codes.js'
import { FakeTransport, type ConnectionSpec, type ExecOptions, type Transport } from '../../src/transport/index.js'
import { clusterStatus } from '../../src/status/index.js'

const inventory = resolve(__dirname, 'fixtures/cluster/hosts.yml')

/** psql's output for one statement as psqlScript frames it: markers around CSV with a header. */
function psqlAnswer(row: Record<string, string>): string {
  const q = (v: string): string => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)
  return `pgha0123456789ab-begin\n${Object.keys(row).map(q).join(',')}\n${Object.values(row).map(q).join(',')}\npgha0123456789ab-end 1\n`
}

const CAPS = { has_nodes: 't', has_repmgrd_fn: 't' }
const NODES = JSON.stringify([
  { node_id: 1, node_name: 'db1', type: 'primary', upstream_node_id: null, active: true, location: 'default', conninfo_host: 'db1' },
  { node_id: 2, node_name: 'db2', type: 'standby', upstream_node_id: 1, active: true, location: 'default', conninfo_host: 'db2.internal' },
  { node_id: 3, node_name: 'db3', type: 'witness', upstream_node_id: 1, active: true, location: 'default', conninfo_host: 'db3' },
])
const replication = JSON.stringify([{ application_name: 'db2', client_addr: '127.0.0.22', state: 'streaming', sync_state: 'async', write_lag_bytes: 0, flush_lag_bytes: 0, replay_lag_bytes: 0, replay_lag_seconds: null }])
const PROBES: Record<string, Record<string, string>> = {
  db1: { in_recovery: 'f', timeline: '3', receiver: '', replication, repmgr_nodes: NODES, repmgrd_running: 't' },
  db2: { in_recovery: 't', timeline: '3', receiver: JSON.stringify({ status: 'streaming', sender_host: 'db1', sender_port: 5433 }), replication: '[]', repmgr_nodes: NODES, repmgrd_running: 't' },
  db3: { in_recovery: 'f', timeline: '1', receiver: '', replication: '[]', repmgr_nodes: NODES, repmgrd_running: 'f' },
}

/** `pgbackrest info --output=json` of stanza main whose newest backup finished `hoursAgo` before now. */
function pgbackrestInfo(hoursAgo: number): string {
  const stop = Math.round(Date.now() / 1000 - hoursAgo * 3600)
  return JSON.stringify([{ name: 'main', status: { code: 0, message: 'ok' }, backup: [{ label: '20261206-013000F', type: 'full', timestamp: { start: stop - 60, stop } }] }])
}

/**
 * A host with no stream (so psql answers): the capabilities query first, then the probe; on a primary,
 * `pgbackrest info` with a backup `backupHoursAgo` old (default 2 hours).
 */
function fakeHost(spec: ConnectionSpec, opts: { unreachable?: string[]; calls?: ExecOptions[]; pgrepFinds?: string[]; backupHoursAgo?: number } = {}): Transport {
  const t = new FakeTransport(spec.host).respond(/^pgrep -x -u '?pgsys'? repmgrd$/, { rc: opts.pgrepFinds?.includes(spec.host) ? 0 : 1 })
  if (opts.unreachable?.includes(spec.host)) t.connect = () => Promise.reject(new UnreachableError(spec.host, `connect ECONNREFUSED ${spec.address}:22`))
  const exec = t.exec.bind(t)
  t.exec = async (command, o) => {
    opts.calls?.push(o ?? {})
    const stdin = String(o?.stdin ?? '')
    if (/pgbackrest --stanza=main --output=json info$/.test(command)) return { rc: 0, stdout: pgbackrestInfo(opts.backupHoursAgo ?? 2), stderr: '' }
    if (!stdin) return exec(command, o)
    return { rc: 0, stdout: psqlAnswer(stdin.includes('to_regclass') ? CAPS : PROBES[spec.host]), stderr: '' }
  }
  return t
}

describe('clusterStatus', () => {
  it('a primary, its streaming standby and a witness: healthy, exit 0, psql run as postgres_user with the become password', async () => {
    const calls: ExecOptions[] = []
    const s = await clusterStatus({ inventory, openTransport: (spec) => fakeHost(spec, { calls }) })
    expect(s.report.problems).toEqual([])
    expect(exitCodeOf(s.outcome)).toBe(0)
    expect(s.report.nodes.map((n) => [n.node, n.repmgrRole, n.pgRole, n.upstream, n.timeline])).toEqual([
      ['db1', 'primary', 'primary', null, 3], ['db2', 'standby', 'standby', 'db1', 3], ['db3', 'witness', 'witness', null, 1],
    ])
    const psql = calls.filter((c) => c.stdin)
    expect(psql).toHaveLength(6)
    for (const c of psql) expect(c).toMatchObject({ become: true, user: 'pgsys', password: 'sudo-secret-42' })
  })

  it('repmgrd said stopped by repmgr but found by pgrep counts as running; found by neither, exit 2 with a warning', async () => {
    // db3 (the witness) answers repmgrd_is_running() = false, as after a server restart before repmgrd re-registers.
    const found = await clusterStatus({ inventory, extraVars: ['repmgrd_enabled=true'], openTransport: (spec) => fakeHost(spec, { pgrepFinds: ['db3'] }) })
    expect(found.report.nodes.map((n) => n.repmgrd)).toEqual([true, true, true])
    expect(exitCodeOf(found.outcome)).toBe(0)
    const stopped = await clusterStatus({ inventory, extraVars: ['repmgrd_enabled=true'], openTransport: (spec) => fakeHost(spec) })
    expect(stopped.report.problems.map((p) => p.message)).toEqual([expect.stringMatching(/^repmgrd is not running on db3 \(repmgrd_enabled is true\): no automatic failover from there; .* systemctl start repmgrd, or with: npx pgha run playbooks\/site.yml -i /)])
    expect(exitCodeOf(stopped.outcome)).toBe(2)
  })

  it('the newest backup older than pgbackrest_backup_max_age_hours: exit 2, with the backup to take', async () => {
    const s = await clusterStatus({ inventory, openTransport: (spec) => fakeHost(spec, { backupHoursAgo: 50 }) })
    expect(exitCodeOf(s.outcome)).toBe(2)
    expect(s.report.problems.map((p) => `${p.kind} ${p.nodes.join(',')}`)).toEqual(['backup-too-old db1'])
    expect(s.report.problems[0].message).toMatch(/^the newest backup of stanza main \(full, 20261206-013000F\) finished 50\.0 hours ago, more than pgbackrest_backup_max_age_hours \(26\): take one with: npx pgha run playbooks\/backup\.yml -i .*hosts\.yml -e backup_type=full/)
  })

  it('a node unreachable over SSH: exit 4, the others still read', async () => {
    const s = await clusterStatus({ inventory, openTransport: (spec) => fakeHost(spec, { unreachable: ['db2'] }) })
    expect(exitCodeOf(s.outcome)).toBe(4)
    expect(s.report.nodes.map((n) => n.pgRole)).toEqual(['primary', 'unreachable', 'witness'])
  })
})

describe('pgha status (CLI)', () => {
  afterEach(() => vi.restoreAllMocks())

  it('exits 1 on bad input with the location, and prints no report', async () => {
    const out: string[] = []
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true))
    const err: string[] = []
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true))
    process.exitCode = undefined
    const code = await main(['node', 'pgha', 'status', '-i', inventory, '--limit', 'nosuchhost'])
    process.exitCode = undefined
    expect(code).toBe(1)
    expect(out.join('')).toBe('')
    expect(err.join('')).toMatch(/--limit:1:1: no host or group matches 'nosuchhost'/)
    expect(err.join('')).toContain('no host was contacted')
  })

  it('--output must be table or json (a usage error: exit 2)', async () => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
    process.exitCode = undefined
    expect(await main(['node', 'pgha', 'status', '-i', inventory, '-o', 'yaml'])).toBe(2)
    process.exitCode = undefined
  })
})
