// `pgha status` against the lab. The suite first establishes the verified pair (an earlier suite may have
// reset the nodes: CI's file order is not this machine's), then only reads. It asserts what holds in any
// state a running cluster can be in: each node's role as status reports it equals pg_is_in_recovery() read
// with psql inside the node (whenever that did not change while status ran), the exit code matches the
// report, and the controller opened no TCP connection to PostgreSQL's port (the pg client went through SSH).
import net from 'node:net'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { main } from '../../src/cli/index.js'
import { COLUMNS, type StatusReport } from '../../src/status/index.js'
import { lab, skipReason } from './lab-env.js'
import { psql } from './cluster-helpers.js'
import { establishCluster } from './ops-helpers.js'

/** Runs the CLI in this process; returns its exit code, stdout, and every TCP port this process connected to. */
async function pghaStatus(...args: string[]): Promise<{ code: number; stdout: string; ports: number[] }> {
  const ports: number[] = []
  const connect = net.Socket.prototype.connect
  vi.spyOn(net.Socket.prototype, 'connect').mockImplementation(function (this: net.Socket, ...a: unknown[]) {
    const first = a[0]
    const port = typeof first === 'object' && first !== null ? (first as { port?: unknown }).port : first
    if (port !== undefined && (typeof port === 'number' || /^\d+$/.test(String(port)))) ports.push(Number(port))
    return (connect as (...x: unknown[]) => net.Socket).apply(this, a)
  })
  const out: string[] = []
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true))
  process.exitCode = undefined
  try {
    const code = await main(['node', 'pgha', 'status', '-i', lab.inventory, ...args])
    return { code, stdout: out.join(''), ports }
  } finally {
    process.exitCode = undefined
    vi.restoreAllMocks()
  }
}

/** 'primary', 'standby', or 'down' as psql inside the node tells. */
async function roleByPsql(node: string): Promise<string> {
  try {
    return (await psql(node, 'SELECT pg_is_in_recovery()')) === 't' ? 'standby' : 'primary'
  } catch {
    return 'down'
  }
}

describe.skipIf(skipReason)('pgha status on the lab', () => {
  beforeAll(async () => {
    await establishCluster()
  })
  afterEach(() => vi.restoreAllMocks())

  it("reports every node's role as the node's own pg_is_in_recovery() says, over SSH only", async () => {
    const names = lab.nodes.map((n) => n.name)
    const before = await Promise.all(names.map(roleByPsql))
    const { code, stdout, ports } = await pghaStatus('--output', 'json')
    const after = await Promise.all(names.map(roleByPsql))

    const report = JSON.parse(stdout) as StatusReport
    expect(report.nodes.map((n) => n.node).sort()).toEqual([...names].sort())
    let compared = 0
    names.forEach((name, i) => {
      if (before[i] !== after[i]) return // the role changed while status ran: nothing to compare against
      const row = report.nodes.find((n) => n.node === name)!
      expect(`${name}: ${row.pgRole}`).toBe(`${name}: ${before[i]}`)
      compared++
    })
    console.log(`e2e status: compared ${compared}/${names.length} nodes; healthy=${report.healthy}; problems: ${report.problems.map((p) => p.kind).join(', ') || 'none'}`)
    expect(compared).toBeGreaterThan(0)
    // The exit code is the report's verdict (no node is unreachable over SSH in the lab).
    expect(report.nodes.some((n) => n.pgRole === 'unreachable')).toBe(false)
    expect(code).toBe(report.healthy ? 0 : 2)
    expect(report.healthy).toBe(report.problems.length === 0)
    // Every running primary's timeline is known; the pg client went through SSH (port 22), never to 5432.
    for (const n of report.nodes.filter((x) => x.pgRole === 'primary')) expect(n.timeline).toBeGreaterThan(0)
    expect(ports.length).toBeGreaterThan(0)
    expect(ports.every((p) => p === 22)).toBe(true)
    expect(ports).not.toContain(5432)
  })

  it('prints the table with the documented columns, one row per node, and a verdict or warnings', async () => {
    const { code, stdout } = await pghaStatus()
    const lines = stdout.trimEnd().split('\n')
    expect(lines[0].split(/\s{2,}/)).toEqual([...COLUMNS])
    const rows = lines.slice(1, 1 + lab.nodes.length)
    expect(rows.map((l) => l.split(/\s+/)[0]).sort()).toEqual(lab.nodes.map((n) => n.name).sort())
    const tail = lines.slice(2 + lab.nodes.length)
    // Last, the newest backup as the primary reads the pgBackRest repository.
    expect(tail.at(-1)).toMatch(/^backups \(pgBackRest stanza pgha, read on node\d\): newest (full|diff|incr) backup \d{8}-\d{6}F\S*, finished /)
    const verdict = tail.slice(0, -1)
    if (code === 0) expect(verdict).toEqual(['healthy: one primary, every standby streaming from it, repmgr in agreement'])
    else expect(verdict.length > 0 && verdict.every((l) => l.startsWith('[WARNING]: '))).toBe(true)
  })
})
