// Rejoining after a split brain: a partition between the nodes makes repmgrd on node2 promote it while node1,
// cut off, keeps running as primary and takes writes; healed, two primaries (the article's `! running`).
// verify.yml (and site.yml) say so plainly and name the node on the newer timeline; rejoin.yml refuses to
// rejoin that node, and refuses to rewind node1 while it holds rows node2 lacks, saying how much, before
// anything is stopped; with rejoin_discard_diverged=true it keeps a copy of node1's data directory (the rows
// are in it), then rewinds node1 into a standby of node2 with the rows written on node2.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { lab, labCut, labHeal, skipReason } from './lab-env.js'
import { clusterShow, establishCluster, eventually, expectClean, onNode, pghaStatus, psql, queryCopy, receiver, role, runShipped, timeline } from './ops-helpers.js'

const rejoin = (node: string, ...vars: string[]) => runShipped('rejoin.yml', lab.inventory, { extraVars: [`node=${node}`, ...vars] })
const BACKUPS = '/home/postgres/pgha-rejoin-backups'

describe.skipIf(skipReason)('split brain after a partition, and rejoin.yml', () => {
  let tlNew = 0

  beforeAll(async () => {
    await establishCluster()
    await psql('node1', 'DROP TABLE IF EXISTS e2e_rejoin')
    await psql('node1', "CREATE TABLE e2e_rejoin (id int primary key, note text)")
    await psql('node1', "INSERT INTO e2e_rejoin VALUES (1, 'before the partition')")
    await eventually(() => psql('node2', 'SELECT count(*) FROM e2e_rejoin'), (v) => v === '1')
    await onNode('node1', `rm -rf ${BACKUPS}`)
    // Without a witness, repmgrd on node2 cannot tell the partition from a failure: it promotes node2.
    await labCut(['node1'], ['node2'])
    try {
      expect(await eventually(() => role('node2'), (r) => r === 'primary', 90_000)).toBe('primary')
      expect(await role('node1')).toBe('primary')
      await psql('node2', "INSERT INTO e2e_rejoin VALUES (2, 'on node2 after its promotion')")
      await psql('node1', "INSERT INTO e2e_rejoin SELECT i, 'on node1 during the split brain' FROM generate_series(3, 7) AS i")
    } finally {
      await labHeal()
    }
    tlNew = await timeline('node2')
  })

  afterAll(async () => {
    await labHeal()
  })

  it('healed, the two primaries are reported as split brain, naming node2 on the newer timeline', async () => {
    expect(await role('node1')).toBe('primary')
    expect(await role('node2')).toBe('primary')
    expect(await clusterShow('node1')).toMatch(/\|\s*node2\s*\|\s*standby\s*\|\s*! running as primary/)

    const verify = await runShipped('verify.yml', lab.inventory)
    expect(verify.exitCode).toBe(2)
    expect(verify.failures).toEqual([
      `one primary, every standby streaming from it, no split brain @ node1: split brain: node1 (timeline ${tlNew - 1}) and node2 (timeline ${tlNew}) all run as primary; ` +
        'node2 is on the newer timeline, so it is the current primary and holds the writes since the promotion; ' +
        `node1 is a former primary: rejoin it as a standby with: npx pgha run playbooks/rejoin.yml -i ${lab.inventory} -e node=node1`,
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

  it('refuses to rewind node1 while it holds rows node2 lacks, saying how much, and leaves it running untouched', async () => {
    const run = await rejoin('node1')
    expect(run.exitCode).toBe(2)
    const refusal = run.failures.find((f) => f.startsWith('nothing written on the node since the timelines diverged'))
    expect(refusal, run.failures.join('\n')).toMatch(
      new RegExp(`@ node1: not rejoining node1: its timeline ${tlNew - 1} left node2's history at [0-9A-F]+/[0-9A-F]+; after that it wrote \\d+ bytes of WAL up to [0-9A-F/]+, \\d+ records, \\d+ of them writes: .*5 Heap INSERT.*, which node2 does not have; a rewind would discard them\\. .*-e rejoin_discard_diverged=true`),
    )
    console.log(`e2e: ${refusal}`)
    expect(run.changed).toEqual([])
    expect(await role('node1')).toBe('primary')
    expect(await psql('node1', "SELECT count(*) FROM e2e_rejoin WHERE note = 'on node1 during the split brain'")).toBe('5')
    expect(await onNode('node1', `ls ${BACKUPS} 2>/dev/null | wc -l`)).toBe('0')
  })

  it('with rejoin_discard_diverged=true, node1 is rewound into a standby of node2 after a copy of its data directory is kept', async () => {
    const run = await rejoin('node1', 'rejoin_discard_diverged=true')
    console.log(`e2e: rejoin.yml with the copy took ${(run.elapsedMs / 1000).toFixed(1)} s`)
    expectClean(run, 'rejoin node1, discarding')
    expect(run.changed).toEqual(expect.arrayContaining(['pgserver stopped on the node (a rejoin works on a stopped server) @ node1', 'rejoined (repmgr node rejoin --force-rewind; dry run first) @ node1']))
    const said = run.events.flatMap((e) => (e.type === 'host:result' && e.task === 'what the rejoin discarded, and where its copy is' && e.status === 'ok' ? [String(e.result.msg)] : []))
    expect(said).toEqual([expect.stringMatching(new RegExp(`^rejoined node1, discarding what it wrote after the timelines diverged \\(\\d+ bytes of WAL .*5 Heap INSERT.*\\); its data directory as it was is in ${BACKUPS}/node1-\\d{8}T\\d{6}$`))])
    const copy = said[0].split(' is in ')[1]
    expect(await role('node1')).toBe('standby')
    expect(await receiver('node1')).toBe('streaming:node2')
    const rows = await eventually(() => psql('node1', 'SELECT string_agg(id || \':\' || note, \', \' ORDER BY id) FROM e2e_rejoin'), (v) => typeof v === 'string' && v.includes('2:'))
    expect(rows).toBe('1:before the partition, 2:on node2 after its promotion')
    // The copy on node1: the data directory, the diverged WAL listed, a README; a server started on a copy of
    // it (another port, no archiving) still has the five rows the rewind discarded.
    expect(await onNode('node1', `cd ${copy} && ls && stat -c '%U %a' .. && grep -c 'desc: INSERT' waldump.txt`)).toMatch(/^README\ndata\nwaldump.txt\npostgres 700\n[1-9]\d*$/)
    const rowsInCopy = await queryCopy('node1', copy, 'SELECT count(*) FROM e2e_rejoin WHERE note = $$on node1 during the split brain$$')
    expect(rowsInCopy).toBe('5')
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
