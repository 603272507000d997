// Switchover: postgres can ssh between the nodes without a password or a prompt, and
// switchover.yml swaps the roles the way the article's `repmgr standby switchover` does: two in a row
// (to node2, then back to node1) each raise the timeline by one, and site.yml still converges (changed=0)
// whichever node is primary.
import { beforeAll, describe, expect, it } from 'vitest'
import { lab, skipReason } from './lab-env.js'
import { establishCluster, expectClean, onNode, receiver, repmgr, role, runShipped, standbyTimeline, timeline, totalChanged } from './ops-helpers.js'

const switchover = (target: string) => runShipped('switchover.yml', lab.inventory, { extraVars: [`target=${target}`] })

describe.skipIf(skipReason)('switchover.yml on the lab', () => {
  let start = 0

  beforeAll(async () => {
    await establishCluster()
    start = await timeline('node1')
    console.log(`e2e: switchover starts on timeline ${start}`)
  })

  it('postgres reaches each peer over ssh without a password or a host key prompt', async () => {
    const opts = '-o BatchMode=yes -o StrictHostKeyChecking=yes'
    expect(await onNode('node1', `runuser -u postgres -- ssh ${opts} node2 'id -un; hostname'`)).toMatch(/^postgres\nnode2\s*$/)
    expect(await onNode('node2', `runuser -u postgres -- ssh ${opts} node1 'id -un; hostname'`)).toMatch(/^postgres\nnode1\s*$/)
  })

  it('refuses a target that is not a node of the cluster, touching nothing', async () => {
    const run = await switchover('node9')
    expect(run.exitCode).toBe(2)
    expect(run.failures.join('\n')).toContain('-e target=node9: name a data node of the inventory')
    expect(await role('node1')).toBe('primary')
  })

  it('switches over to node2: node2 primary on the next timeline, node1 its streaming standby', async () => {
    const run = await switchover('node2')
    console.log(`e2e: switchover to node2 took ${(run.elapsedMs / 1000).toFixed(1)} s`)
    expectClean(run, 'switchover to node2')
    expect(run.changed).toEqual(['the target promoted, the old primary its standby (repmgr standby switchover --siblings-follow; dry run first) @ node2'])
    expect(await role('node2')).toBe('primary')
    expect(await role('node1')).toBe('standby')
    expect(await receiver('node1')).toBe('streaming:node2')
    const tl = await timeline('node2')
    console.log(`e2e: after the switchover to node2: node2 primary on timeline ${tl}`)
    expect(tl).toBe(start + 1)
    expect(await standbyTimeline('node1', 'node2', start + 1)).toBe(start + 1)
    const show = await repmgr('node2', 'cluster show')
    expect(show).toMatch(/\|\s*node2\s*\|\s*primary\s*\|\s*\* running/)
    expect(show).toMatch(/\|\s*node1\s*\|\s*standby\s*\|\s*running\s*\|\s*node2\s*\|/)
  })

  it('with node2 primary, site.yml converges without changing anything, and a repeated switchover to node2 does nothing', async () => {
    const site = await runShipped('site.yml', lab.inventory)
    expectClean(site, 'site.yml after the switchover')
    expect(site.changed).toEqual([])
    const again = await switchover('node2')
    expectClean(again, 'second switchover to node2')
    expect(totalChanged(again)).toBe(0)
    expect(await timeline('node2')).toBe(start + 1)
  })

  it('switches back to node1: the timeline goes up by one again, and site.yml still changes nothing', async () => {
    expectClean(await switchover('node1'), 'switchover back to node1')
    expect(await role('node1')).toBe('primary')
    expect(await role('node2')).toBe('standby')
    expect(await receiver('node2')).toBe('streaming:node1')
    const tl = await timeline('node1')
    console.log(`e2e: after the switchover back to node1: node1 primary on timeline ${tl}`)
    expect(tl).toBe(start + 2)
    expect(await standbyTimeline('node2', 'node1', start + 2)).toBe(start + 2)
    const site = await runShipped('site.yml', lab.inventory)
    expectClean(site, 'site.yml after both switchovers')
    expect(site.changed).toEqual([])
  })
})
