// Fencing: pgserver is enabled at boot, so a primary's node that reboots starts its server whatever
// happened while it was away. The fence (a drop-in of the unit: ExecStartPre) asks the other nodes first.
// After a failover, rebooting the old primary's node leaves its server stopped, with the rejoin command in
// the journal; a standby always starts; with pgha_auto_rejoin a former primary that wrote nothing after the
// failover becomes a standby by itself. Booting with the other nodes out of reach is
// pgha_fence_unreachable's choice: refuse keeps the server stopped (here rightly: a standby was promoted
// meanwhile), start starts it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pghaCommand } from '../../src/command-hint.js'
import { lab, labCut, labHeal, labReboot, skipReason } from './lab-env.js'
import { clusterShow, establishCluster, eventually, expectClean, onNode, psql, receiver, repmgr, role, runShipped, timeline } from './ops-helpers.js'

const DATA = '/home/postgres/data'
/** The messages of pgserver's unit since the node booted, as `journalctl -u pgserver -b` shows them. */
const journal = (node: string): Promise<string> => onNode(node, 'journalctl -u pgserver -b --no-pager -o cat')
const fenceSays = async (node: string): Promise<string[]> => (await journal(node)).split('\n').filter((l) => l.startsWith('pgha-fence: '))
/** `systemctl start pgserver` by hand: its exit code. */
const startByHand = async (node: string): Promise<number> => Number((await onNode(node, 'systemctl start pgserver >/dev/null 2>&1; echo $?')).trim())
const fence = (...vars: string[]) => runShipped('fence.yml', lab.inventory, { extraVars: vars })

describe.skipIf(skipReason)('fencing: a former primary never comes back as a second primary', () => {
  let tl = 0

  beforeAll(async () => {
    await establishCluster()
    tl = await timeline('node1')
  })

  afterAll(async () => {
    await labHeal()
  })

  it('the fence is a drop-in of pgserver on both data nodes, run before every start', async () => {
    for (const n of ['node1', 'node2']) {
      expect(await onNode(n, 'systemctl show pgserver -p DropInPaths --value')).toContain('/etc/systemd/system/pgserver.service.d/pgha-fence.conf')
      expect(await onNode(n, 'systemctl show pgserver -p ExecStartPre --value')).toContain('path=/usr/local/sbin/pgha-fence')
      expect((await onNode(n, 'stat -c "%U %a" /usr/local/sbin/pgha-fence')).trim()).toBe('root 755')
      expect((await onNode(n, 'systemctl is-enabled pgserver')).trim()).toBe('enabled')
    }
  })

  it('after a failover, the old primary\'s node reboots and its server stays stopped, the journal naming the rejoin command', async () => {
    expectClean(await runShipped('failover.yml', lab.inventory), 'failover drill')
    expect(await role('node2')).toBe('primary')
    const state = await labReboot('node1')
    console.log(`e2e: node1 rebooted (${state})`)
    expect(await role('node1')).toBe('down')
    expect((await onNode('node1', 'systemctl is-failed pgserver || true')).trim()).toBe('failed')
    expect(await fenceSays('node1')).toContain(
      `pgha-fence: not starting node1 as a primary: node2 runs as primary on timeline ${tl + 1}, newer than this node's timeline ${tl}: ` +
        `node1 is a former primary. Make it a standby with: ${pghaCommand('run', 'playbooks/rejoin.yml', '-i', lab.inventory, '-e', 'node=node1')}`,
    )
    // Starting it by hand is refused the same way; node2 stays the only primary and takes writes.
    expect(await startByHand('node1')).not.toBe(0)
    expect(await role('node1')).toBe('down')
    await psql('node2', 'CREATE TABLE IF NOT EXISTS e2e_fence (id int primary key)')
    await psql('node2', 'INSERT INTO e2e_fence VALUES (1) ON CONFLICT DO NOTHING')
  })

  it('rejoined, node1 is a standby, and a standby starts at boot without asking anyone', async () => {
    expectClean(await runShipped('rejoin.yml', lab.inventory, { extraVars: ['node=node1'] }), 'rejoin node1')
    await labReboot('node1')
    expect(await eventually(() => receiver('node1'), (v) => v === 'streaming:node2', 60_000)).toBe('streaming:node2')
    expect(await fenceSays('node1')).toEqual(['pgha-fence: node1 starts as a standby (standby.signal)'])
    expect(await psql('node1', 'SELECT count(*) FROM e2e_fence')).toBe('1')
  })

  it('with pgha_auto_rejoin, a former primary shut down cleanly before the failover becomes a standby at boot by itself', async () => {
    expectClean(await fence('pgha_auto_rejoin=true'), 'fence.yml with pgha_auto_rejoin=true')
    expectClean(await runShipped('failover.yml', lab.inventory), 'failover drill back to node1')
    expect(await role('node1')).toBe('primary')
    const newTl = await timeline('node1')
    await labReboot('node2')
    expect(await eventually(() => receiver('node2'), (v) => v === 'streaming:node1', 60_000)).toBe('streaming:node1')
    const says = await fenceSays('node2')
    expect(says[0]).toMatch(new RegExp(`^pgha-fence: pgha_auto_rejoin: node2 stopped cleanly at [0-9A-F/]+, before timeline ${newTl} began at [0-9A-F/]+: nothing is lost; it starts as a standby of node1$`))
    const show = await clusterShow('node1')
    expect(show).toMatch(/\|\s*node1\s*\|\s*primary\s*\|\s*\* running/)
    expect(show).toMatch(/\|\s*node2\s*\|\s*standby\s*\|\s*running\s*\|\s*node1\s*\|/)
    expect(await eventually(() => psql('node2', 'SELECT count(*) FROM e2e_fence'), (v) => v === '1')).toBe('1')
    expectClean(await fence(), 'fence.yml back to the defaults')
  })

  it('booting cut off from every other node (refuse): the server stays stopped, and once healed the newer primary keeps it so', async () => {
    // node1, the primary, loses its link; repmgrd on node2 sees it gone and promotes node2.
    await labCut(['node1'])
    expect(await eventually(() => role('node2'), (r) => r === 'primary', 90_000)).toBe('primary')
    const state = await labReboot('node1')
    console.log(`e2e: node1 rebooted while cut off (${state})`)
    expect(await role('node1')).toBe('down')
    const says = await fenceSays('node1')
    expect(says).toHaveLength(1)
    expect(says[0]).toMatch(/^pgha-fence: not starting node1 as a primary: no other node of the cluster answered within 30 s \(node2: .*\), so node1 cannot tell whether another node was promoted \(pgha_fence_unreachable=refuse\)\. /)
    expect(says[0]).toContain(`touch ${DATA}/pgha-fence.override && systemctl start pgserver`)
    await labHeal()
    expect(await startByHand('node1')).not.toBe(0)
    expect((await fenceSays('node1')).at(-1)).toMatch(/^pgha-fence: not starting node1 as a primary: node2 runs as primary on timeline \d+, newer than this node's timeline \d+: node1 is a former primary\. /)
    expect(await role('node2')).toBe('primary')
    expectClean(await runShipped('rejoin.yml', lab.inventory, { extraVars: ['node=node1'] }), 'rejoin node1 after the cut')
    expect(await receiver('node1')).toBe('streaming:node2')
  })

  it('booting cut off with pgha_fence_unreachable=start: the primary starts without an answer (repmgrd paused, so nobody took over)', async () => {
    expectClean(await fence('pgha_fence_unreachable=start'), 'fence.yml with pgha_fence_unreachable=start')
    try {
      await repmgr('node2', 'service pause')
      await labCut(['node2'])
      await labReboot('node2')
      expect(await role('node2')).toBe('primary')
      expect(await fenceSays('node2')).toEqual([
        expect.stringMatching(/^pgha-fence: no other node of the cluster answered within 30 s \(node1: .*\), so node2 cannot tell whether another node was promoted; starting it as a primary anyway \(pgha_fence_unreachable=start\)$/),
      ])
      expect(await role('node1')).toBe('standby')
    } finally {
      await labHeal()
      await repmgr('node2', 'service unpause').catch(() => '')
    }
    expect(await eventually(() => receiver('node1'), (v) => v === 'streaming:node2', 60_000)).toBe('streaming:node2')
    // The pause above reached node1's repmgrd too, and the unpause right after the heal may not have (it is
    // the next file's cluster that then never fails over): unpaused again, now that both nodes answer.
    await repmgr('node2', 'service unpause')
    expectClean(await fence(), 'fence.yml back to the defaults')
    expectClean(await runShipped('verify.yml', lab.inventory), 'verify at the end')
  })
})
