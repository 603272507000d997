// Rejoining after a failover: after the failover drill, starting the old primary again makes two primaries (the
// article's `! running`); verify.yml (and site.yml) say so plainly and name the node on the newer
// timeline; rejoin.yml refuses to rejoin that node, and rejoins the old one with pg_rewind: it becomes a
// standby of the new primary, the rows written there after the failover are on it, and what it wrote
// while it was a second primary is gone (that is what rewinding a split brain's older side means).
import { beforeAll, describe, expect, it } from 'vitest'
import { lab, labExec, skipReason } from './lab-env.js'
import { clusterShow, establishCluster, eventually, expectClean, onNode, pghaStatus, psql, receiver, role, runShipped, timeline } from './ops-helpers.js'

const rejoin = (node: string) => runShipped('rejoin.yml', lab.inventory, { extraVars: [`node=${node}`] })

describe.skipIf(skipReason)('split brain after a failover, and rejoin.yml', () => {
  let tlNew = 0

  beforeAll(async () => {
    await establishCluster()
    await psql('node1', 'DROP TABLE IF EXISTS e2e_rejoin')
    await psql('node1', "CREATE TABLE e2e_rejoin (id int primary key, note text)")
    await psql('node1', "INSERT INTO e2e_rejoin VALUES (1, 'before the failover')")
    expectClean(await runShipped('failover.yml', lab.inventory), 'failover drill')
    expect(await role('node2')).toBe('primary')
    tlNew = await timeline('node2')
    await psql('node2', "INSERT INTO e2e_rejoin VALUES (2, 'on node2 after the failover')")
  })

  it('starting the old primary again is reported as split brain, naming node2 on the newer timeline', async () => {
    // The fence keeps it down; its one-start override brings the article's split brain about.
    expect((await labExec('node1', 'systemctl start pgserver')).rc).not.toBe(0)
    expect(await role('node1')).toBe('down')
    await onNode('node1', 'touch /home/postgres/data/pgha-fence.override && systemctl start pgserver')
    expect(await role('node1')).toBe('primary')
    expect(await role('node2')).toBe('primary')
    await psql('node1', "INSERT INTO e2e_rejoin VALUES (3, 'on node1 during the split brain')")
    expect(await clusterShow('node1')).toMatch(/\|\s*node2\s*\|\s*standby\s*\|\s*! running as primary/)

    const verify = await runShipped('verify.yml', lab.inventory)
    expect(verify.exitCode).toBe(2)
    expect(verify.failures).toEqual([
      `one primary, every standby streaming from it, no split brain @ node1: split brain: node1 (timeline ${tlNew - 1}) and node2 (timeline ${tlNew}) all run as primary; ` +
        'node2 is on the newer timeline, so it is the current primary and holds the writes since the promotion; ' +
        'node1 is a former primary: rejoin it as a standby with: pgha run playbooks/rejoin.yml -e node=node1',
    ])
    // pgha status says the same: split brain, node2 the one to keep.
    const status = await pghaStatus()
    expect(status.code).not.toBe(0)
    expect(status.report.healthy).toBe(false)
    const split = status.report.problems.filter((p) => p.kind === 'split-brain')
    expect(split).toHaveLength(1)
    expect(split[0].nodes.sort()).toEqual(['node1', 'node2'])
    expect(split[0].message).toMatch(/node2 is on the newer timeline/)
    // site.yml neither clones nor registers anything while two nodes run as primary.
    const site = await runShipped('site.yml', lab.inventory)
    expect(site.exitCode).toBe(2)
    expect(site.changed).toEqual([])
    expect(site.failures.join('\n')).toContain('split brain: node1')
  })

  it('refuses to rejoin the node on the newer timeline', async () => {
    const run = await rejoin('node2')
    expect(run.exitCode).toBe(2)
    expect(run.failures.join('\n')).toContain('not rejoining node2: it is the current primary (on the newer timeline')
    expect(await role('node2')).toBe('primary')
  })

  it('rejoins node1 as a standby of node2, with the rows written on node2 after the failover', async () => {
    const run = await rejoin('node1')
    console.log(`e2e: rejoin.yml took ${(run.elapsedMs / 1000).toFixed(1)} s`)
    expectClean(run, 'rejoin node1')
    expect(run.changed).toEqual(expect.arrayContaining(['pgserver stopped on the node (a rejoin works on a stopped server) @ node1', 'rejoined (repmgr node rejoin --force-rewind; dry run first) @ node1']))
    expect(await role('node1')).toBe('standby')
    expect(await receiver('node1')).toBe('streaming:node2')
    const rows = await eventually(() => psql('node1', 'SELECT string_agg(id || \':\' || note, \', \' ORDER BY id) FROM e2e_rejoin'), (v) => typeof v === 'string' && v.includes('2:'))
    expect(rows).toBe('1:before the failover, 2:on node2 after the failover')
    const show = await clusterShow('node2')
    expect(show).toMatch(/\|\s*node2\s*\|\s*primary\s*\|\s*\* running/)
    expect(show).toMatch(/\|\s*node1\s*\|\s*standby\s*\|\s*running\s*\|\s*node2\s*\|/)
    const status = await eventually(pghaStatus, (s) => s.report.healthy, 30_000)
    expect(status.report.problems).toEqual([])
    expect(Object.fromEntries(status.report.nodes.map((n) => [n.node, n.pgRole]))).toEqual({ node1: 'standby', node2: 'primary' })
  })

  it('after the rejoin, site.yml converges without changes and a second rejoin does nothing', async () => {
    const site = await runShipped('site.yml', lab.inventory)
    expectClean(site, 'site.yml after the rejoin')
    expect(site.changed).toEqual([])
    const again = await rejoin('node1')
    expectClean(again, 'second rejoin')
    expect(again.changed).toEqual([])
  })
})
