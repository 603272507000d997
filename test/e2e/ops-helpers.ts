// What the operation e2e tests (switchover, failover, rejoin, witness) share: a verified cluster to start
// from, the roles and timelines read from the nodes as an operator would, and the repmgr tools run as
// postgres on a node.
import { expect, vi } from 'vitest'
import { main } from '../../src/cli/index.js'
import type { StatusReport } from '../../src/status/index.js'
import { labUp } from '../../src/lab/index.js'
import { lab, labExec, labReset } from './lab-env.js'
import { eventually, onNode, psql, runShipped, totalChanged, type PlaybookRun } from './cluster-helpers.js'

const BIN = '/usr/lib/postgresql/15/bin'
const CONF = '/usr/lib/postgresql/15/repmgr.conf'

/** `repmgr -f repmgr.conf ARGS` as postgres on a node; stdout. */
export const repmgr = (node: string, args: string): Promise<string> => onNode(node, `runuser -u postgres -- ${BIN}/repmgr -f ${CONF} ${args}`)

/** `repmgr cluster show` as an operator reads it: the table, even when repmgr exits non-zero for a node it cannot reach. */
export async function clusterShow(node: string): Promise<string> {
  return (await labExec(node, ['runuser', '-u', 'postgres', '--', `${BIN}/repmgr`, '-f', CONF, 'cluster', 'show'])).stdout
}

/** 'primary' or 'standby' as the node says (pg_is_in_recovery), 'down' when it does not answer. */
export async function role(node: string): Promise<string> {
  const r = await psql(node, 'SELECT pg_is_in_recovery()').catch(() => 'down')
  return r === 'down' ? r : r === 't' ? 'standby' : 'primary'
}

/** The node's timeline from its control file after a CHECKPOINT (a restartpoint on a standby). */
export async function timeline(node: string): Promise<number> {
  await psql(node, 'CHECKPOINT')
  return Number(await psql(node, 'SELECT timeline_id FROM pg_control_checkpoint()'))
}

/** Waits until a standby's control file reaches the primary's timeline (a restartpoint needs a replayed checkpoint). */
export async function standbyTimeline(standby: string, primary: string, want: number): Promise<number> {
  return eventually(async () => {
    await psql(primary, 'CHECKPOINT')
    return timeline(standby)
  }, (t) => t === want, 30_000)
}

/** What `WAL receiver status:sender` shows on a standby. */
export const receiver = (node: string): Promise<string> => psql(node, "SELECT status || ':' || sender_host FROM pg_stat_wal_receiver")

/** `pgha status -i INVENTORY --output json`, run in this process: its exit code and report. */
export async function pghaStatus(): Promise<{ code: number; report: StatusReport }> {
  const out: string[] = []
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true))
  try {
    const code = await main(['node', 'pgha', 'status', '-i', lab.inventory, '--output', 'json'])
    return { code, report: JSON.parse(out.join('')) as StatusReport }
  } finally {
    process.exitCode = undefined
    vi.restoreAllMocks()
  }
}

export function expectClean(run: PlaybookRun, what: string): void {
  expect(run.failures, `${what}: failures`).toEqual([])
  expect(run.exitCode, `${what}: exit code`).toBe(0)
}

/**
 * Why a node's PostgreSQL did not start, as an operator would look: the end of its server log and of the
 * unit's journal. For a failure message; '' when the node cannot be reached either.
 */
export async function serverLog(node: string): Promise<string> {
  const log = await onNode(node, 'tail -n 15 /home/postgres/pgserver.log 2>&1; journalctl -u pgserver --no-pager -n 8 -o cat 2>&1; true').catch(() => '')
  return log ? `--- ${node}: end of pgserver.log and journal ---\n${log}` : ''
}

/**
 * A verified node1-primary/node2-standby cluster, whatever an earlier (maybe failed) test left: a former
 * primary left by a drill is rejoined, site.yml converges the rest; when it cannot, the nodes are reset and
 * built again; a cluster whose primary moved is switched back to node1.
 */
export async function establishCluster(): Promise<void> {
  // A failover drill leaves the old primary stopped (or running as a second primary): rejoin it first,
  // discarding whatever an earlier test wrote on it.
  const roles = [await role('node1'), await role('node2')]
  if (roles.filter((r) => r === 'primary').length >= 1 && !roles.includes('standby')) {
    const stale = (await timeline('node1').catch(() => 0)) < (await timeline('node2').catch(() => 0)) ? 'node1' : 'node2'
    await runShipped('rejoin.yml', lab.inventory, { extraVars: [`node=${stale}`, 'rejoin_discard_diverged=true'] })
  }
  let run = await runShipped('site.yml', lab.inventory)
  if (run.exitCode !== 0) {
    console.log(`e2e: site.yml could not converge what an earlier test left (${run.failures[0] ?? run.exitCode}); resetting the nodes`)
    await labReset(['node1', 'node2'])
    run = await runShipped('site.yml', lab.inventory)
  }
  expectClean(run, 'site.yml')
  if ((await role('node1')) !== 'primary') expectClean(await runShipped('switchover.yml', lab.inventory, { extraVars: ['target=node1'] }), 'switchover back to node1')
  expect(await role('node1')).toBe('primary')
  expect(await role('node2')).toBe('standby')
  // A test that paused repmgrd (fencing, rolling restarts) and failed to unpause every node would leave a
  // cluster that never fails over; site.yml rightly leaves an operator's pause alone, so the tests' baseline does it.
  await repmgr('node1', 'service unpause')
}

/**
 * The lab with these nodes (node1 primary, the others standbys) and site.yml run on it; when that fails
 * on what an earlier test left, the nodes are reset and built again.
 */
export async function establishNodes(nodes: string[]): Promise<void> {
  await labUp({ nodes, inventory: lab.inventory, force: true }) // the suite owns its lab instance
  let run = await runShipped('site.yml', lab.inventory)
  if (run.exitCode !== 0) {
    console.log(`e2e: site.yml on ${nodes.length} nodes failed (${run.failures.join('; ')}); resetting the nodes\n${(await Promise.all(nodes.map(serverLog))).join('\n')}`)
    await labReset(nodes)
    run = await runShipped('site.yml', lab.inventory)
  }
  expectClean(run, `site.yml on ${nodes.length} nodes`)
  expect(await role('node1')).toBe('primary')
}

/**
 * What a rejoin's copy of a data directory still holds: a server started on a scratch copy of it (another
 * port, no archiving, no network), asked `sql`, stopped and removed again. Its answer.
 */
export async function queryCopy(node: string, copy: string, sql: string): Promise<string> {
  if (sql.includes("'")) throw new Error(`queryCopy: quote with $$ in ${sql}`)
  const scratch = '/home/postgres/e2e-rejoin-copy'
  const inner = sql.replace(/[\\"$`]/g, (c) => `\\${c}`) // inside the inner shell's double quotes
  return (await onNode(node, `runuser -u postgres -- sh -c 'rm -rf ${scratch} && cp -a ${copy}/data ${scratch} && ${BIN}/pg_ctl -D ${scratch} -w -l ${scratch}.log -o "-p 5499 -c listen_addresses= -c archive_mode=off -c unix_socket_directories=/tmp" start >/dev/null && ${BIN}/psql -XAtq -h /tmp -p 5499 -c "${inner}"; ${BIN}/pg_ctl -D ${scratch} -w -m fast stop >/dev/null; rm -rf ${scratch} ${scratch}.log'`)).trim()
}

export { eventually, onNode, psql, runShipped, totalChanged }
