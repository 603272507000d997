// A node's life on a three-node lab (node1 primary, node2 and node3 standbys, node3 also keeps the pgBackRest
// repository): a standby left streaming from another standby is made to follow the primary by site.yml;
// remove-node.yml takes a standby out (refusing the primary), site.yml without it converges the rest; the
// same name on a new empty host is previewed by site.yml --check and cloned by site.yml (adding or replacing
// a standby); a standby that is cut off is removed from the primary's side; repmgr's events reach the
// operator's event_notification_command. What an operator checks: `repmgr cluster show`,
// pg_stat_replication, pg_replication_slots, pg_hba.conf and authorized_keys on the others, the unit on the
// node removed, and `pgha status`.
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse, stringify } from 'yaml'
import { labUp } from '../../src/lab/index.js'
import { lab, labCut, labHeal, labReset, net, skipReason } from './lab-env.js'
import { clusterShow, establishNodes, eventually, expectClean, onNode, pghaStatus, psql, repmgr, role, runShipped } from './ops-helpers.js'

const NODES = ['node1', 'node2', 'node3']
const seconds = (ms: number): string => (ms / 1000).toFixed(1)

/** The standbys node1 streams to, by application_name, as pg_stat_replication lists them. */
const streamingFrom = (node: string): Promise<string> =>
  psql(node, "SELECT coalesce(string_agg(application_name || ':' || state, ',' ORDER BY application_name), '') FROM pg_stat_replication")
const slots = (node: string): Promise<string> => psql(node, "SELECT coalesce(string_agg(slot_name, ',' ORDER BY slot_name), '') FROM pg_replication_slots")
const hba = (node: string): Promise<string> => onNode(node, 'cat /home/postgres/data/pg_hba.conf')
const authorizedKeys = (node: string): Promise<string> => onNode(node, 'cat /home/postgres/.ssh/authorized_keys')

/** The lab inventory without one node: what the operator edits after remove-node.yml. */
function inventoryWithout(node: string): { path: string; dir: string } {
  const inv = parse(readFileSync(lab.inventory, 'utf8')) as { all: { children: Record<string, { hosts: Record<string, unknown> | null }> } }
  for (const group of Object.values(inv.all.children)) if (group.hosts) delete group.hosts[node]
  const dir = mkdtempSync(join(tmpdir(), 'pgha-lifecycle-'))
  // The defaults (inventory/group_vars) apply to an inventory beside them.
  symlinkSync(resolve('inventory', 'group_vars'), join(dir, 'group_vars'))
  writeFileSync(join(dir, 'hosts.yml'), stringify(inv))
  return { path: join(dir, 'hosts.yml'), dir }
}

async function expectThreeStreaming(): Promise<void> {
  expect(await eventually(() => streamingFrom('node1'), (s) => s === 'node2:streaming,node3:streaming', 30_000)).toBe('node2:streaming,node3:streaming')
  const show = await clusterShow('node1')
  expect(show).toMatch(/\|\s*node2\s*\|\s*standby\s*\|\s*running\s*\|\s*node1\s*\|/)
  expect(show).toMatch(/\|\s*node3\s*\|\s*standby\s*\|\s*running\s*\|\s*node1\s*\|/)
}

describe.skipIf(skipReason)('node lifecycle on three nodes', () => {
  const temp: string[] = []

  beforeAll(async () => {
    await establishNodes(NODES)
    await expectThreeStreaming()
  })

  afterAll(async () => {
    await labHeal()
    for (const d of temp) rmSync(d, { recursive: true, force: true })
    // node2 may be left removed (its server refusing to start, unregistered): a fresh node2 for the next
    // file, which expects the two-node lab.
    await labReset(['node2'])
    // force: the suite owns its lab instance, and without it the three-node lab it booted stays up for the
    // files after it (which then see node3 in the cluster).
    await labUp({ nodes: ['node1', 'node2'], inventory: lab.inventory, force: true }).catch((err: Error) => console.log(`e2e: the three-node lab is left running: ${err.message}`))
  })

  it('a standby streaming from another standby: pgha status names it with the command, site.yml makes it follow the primary', async () => {
    await repmgr('node2', 'standby follow --upstream-node-id=3')
    expect(await eventually(() => streamingFrom('node3'), (s) => s === 'node2:streaming')).toBe('node2:streaming')
    const before = await pghaStatus()
    const wrong = before.report.problems.find((p) => p.kind === 'wrong-upstream')
    expect(wrong?.message).toMatch(/^node2 is a standby of node3, not of the current primary node1; make it follow the primary with: npx pgha run playbooks\/site.yml -i /)

    // The operator's own command receives repmgr's events (here a line appended to a file).
    const notify = JSON.stringify({ repmgr_event_notification_command: 'echo "%n %e %s" >> /home/postgres/pgha-events.log' })
    const run = await runShipped('site.yml', lab.inventory, { extraVars: [notify] })
    console.log(`e2e: site.yml repairing node2's upstream took ${seconds(run.elapsedMs)} s`)
    expectClean(run, 'site.yml repairing the upstream')
    expect(run.changed).toContain('standby streaming from the current primary (repmgr standby follow, only when it streams from another node) @ node2')
    const follow = run.events.find((e) => e.type === 'host:result' && e.host === 'node2' && e.task.startsWith('standby streaming from the current primary'))
    expect(follow && 'result' in follow ? follow.result.msg : undefined).toBe('node2 is a standby of node3, not of the current primary node1')
    await expectThreeStreaming()
    expect(await streamingFrom('node3')).toBe('')
    expect(await slots('node1')).toBe('repmgr_slot_2,repmgr_slot_3')
    expect(await onNode('node2', 'cat /home/postgres/pgha-events.log')).toMatch(/^2 standby_follow 1$/m)
    expect((await pghaStatus()).report.healthy).toBe(true)
  })

  it('remove-node.yml refuses the current primary, then takes node2 out; site.yml without node2 converges the rest', async () => {
    const refused = await runShipped('remove-node.yml', lab.inventory, { extraVars: ['node=node1'] })
    expect(refused.exitCode).not.toBe(0)
    expect(refused.failures.join('\n')).toMatch(/not removing node1: it is the current primary; switch over to a standby first \(npx pgha run playbooks\/switchover.yml -e target=<a standby>\)/)
    expect(await role('node1')).toBe('primary')

    const run = await runShipped('remove-node.yml', lab.inventory, { extraVars: ['node=node2'] })
    console.log(`e2e: remove-node.yml -e node=node2 (reachable) took ${seconds(run.elapsedMs)} s`)
    expectClean(run, 'remove-node.yml node2')
    expect(await clusterShow('node1')).not.toMatch(/node2/)
    expect(await streamingFrom('node1')).toBe('node3:streaming')
    expect(await slots('node1')).toBe('repmgr_slot_3')
    for (const n of ['node1', 'node3']) {
      expect(await hba(n), n).not.toContain(`${net.prefix}.12/32`)
      expect(await hba(n), n).toContain(`${net.prefix}.13/32`)
      expect(await authorizedKeys(n), n).not.toMatch(/postgres@node2$/m)
    }
    expect((await onNode('node2', 'systemctl is-enabled pgserver repmgrd; true')).trim().split('\n')).toEqual(['disabled', 'disabled'])
    expect((await onNode('node2', 'systemctl is-active pgserver repmgrd; true')).trim().split('\n')).toEqual(['inactive', 'inactive'])
    expect(await onNode('node2', 'systemctl start pgserver 2>&1; echo rc=$?')).toMatch(/rc=1$/m)
    expect(await onNode('node2', 'journalctl -u pgserver --no-pager -n 20 -o cat')).toContain('pgha: this node was removed from the cluster (remove-node.yml): pgserver.service does not start')
    expect(await role('node2')).toBe('down')

    const without = inventoryWithout('node2')
    temp.push(without.dir)
    const site = await runShipped('site.yml', without.path)
    console.log(`e2e: site.yml without node2 took ${seconds(site.elapsedMs)} s`)
    expectClean(site, 'site.yml without node2')
    expect(await onNode('node3', 'cat /etc/pgbackrest/pgbackrest.conf')).not.toContain(`${net.prefix}.12`)
    expect(await streamingFrom('node1')).toBe('node3:streaming')
  })

  it('a new empty host named node2: site.yml --check previews it, site.yml clones and registers it', async () => {
    await labReset(['node2'])
    const check = await runShipped('site.yml', lab.inventory, { check: true })
    console.log(`e2e: site.yml --check with a fresh node2 took ${seconds(check.elapsedMs)} s`)
    expectClean(check, 'site.yml --check with a fresh node2')
    expect(check.changed).toContain('postgres user @ node2')
    expect(await onNode('node2', 'getent passwd postgres; true')).toBe('')

    const run = await runShipped('site.yml', lab.inventory)
    console.log(`e2e: site.yml adding node2 (a new empty host) took ${seconds(run.elapsedMs)} s`)
    expectClean(run, 'site.yml adding node2')
    expect(run.changed).toContain('standby cloned from the primary (dry run first; only when not already its healthy standby) @ node2')
    await expectThreeStreaming()
    expect(await slots('node1')).toBe('repmgr_slot_2,repmgr_slot_3')
    expect(await hba('node1')).toContain(`${net.prefix}.12/32`)
    expect((await pghaStatus()).report.healthy).toBe(true)
  })

  it('a standby cut off from the others is removed from the primary: unregistered by node id, its walsender ended and its slot dropped', async () => {
    await labCut(['node2'])
    const run = await runShipped('remove-node.yml', lab.inventory, { extraVars: ['node=node2'] })
    console.log(`e2e: remove-node.yml -e node=node2 (cut off) took ${seconds(run.elapsedMs)} s`)
    expectClean(run, 'remove-node.yml node2 cut off')
    expect(run.recap.node2?.unreachable ?? 0).toBe(0)
    expect(await clusterShow('node1')).not.toMatch(/node2/)
    expect(await slots('node1')).toBe('repmgr_slot_3')
    expect(await streamingFrom('node1')).toBe('node3:streaming')
    expect(await hba('node3')).not.toContain(`${net.prefix}.12/32`)
  })
})
