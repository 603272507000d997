// A transaction that straddles the fork: its rows are written on node1 (the primary) and streamed to node2,
// uncommitted; a partition has repmgrd promote node2 (which ends that transaction as aborted); node1, cut off,
// then commits it. Everything node1 wrote after the fork is a COMMIT record, yet a rewind would take back five
// committed rows: rejoin.yml refuses, saying so, and leaves node1 as it was; with rejoin_discard_diverged=true
// it keeps a copy of node1's data directory (the rows are in it) before the rewind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { lab, labCut, labHeal, skipReason } from './lab-env.js'
import { establishCluster, eventually, expectClean, onNode, psql, queryCopy, receiver, role, runShipped, timeline } from './ops-helpers.js'

const rejoin = (node: string, ...vars: string[]) => runShipped('rejoin.yml', lab.inventory, { extraVars: [`node=${node}`, ...vars] })
const BACKUPS = '/home/postgres/pgha-rejoin-backups'
/** The open session's files on node1: its input (a FIFO, held open by a sleep), its output, the sleep's pid. */
const S = '/tmp/e2e-straddle'
const STRADDLING = 'written before the fork, committed after it'

/** Sends SQL to the session held open on node1 and waits for the line it prints at the end. */
async function inSession(sql: string, done: string): Promise<string> {
  await onNode('node1', `printf '%s\\n' "${sql}" > ${S}/in`)
  const out = await eventually(() => onNode('node1', `cat ${S}/out`), (o) => typeof o === 'string' && o.includes(done), 20_000)
  expect(out).toContain(done)
  return out
}

describe.skipIf(skipReason)('rejoin.yml and a transaction committed on the old primary after the fork', () => {
  let tlNew = 0

  beforeAll(async () => {
    await establishCluster()
    await psql('node1', 'DROP TABLE IF EXISTS e2e_straddle')
    await psql('node1', 'CREATE TABLE e2e_straddle (id int primary key, note text)')
    await psql('node1', "INSERT INTO e2e_straddle VALUES (1, 'committed before the fork')")
    await onNode('node1', `rm -rf ${BACKUPS} ${S} && mkdir -m 777 ${S} && mkfifo -m 666 ${S}/in && ` +
      `{ setsid sh -c 'exec sleep 900 > ${S}/in' </dev/null >/dev/null 2>&1 & echo $! > ${S}/holder; } && ` +
      `{ setsid runuser -u postgres -- psql -XAtq -d postgres < ${S}/in > ${S}/out 2>&1 & }`)
    await inSession(`BEGIN; INSERT INTO e2e_straddle SELECT i, '${STRADDLING}' FROM generate_series(2, 6) AS i; SELECT 'inserted';`, 'inserted')
    // Another session's commit flushes the WAL, the open transaction's rows with it, to node2.
    await psql('node1', "INSERT INTO e2e_straddle VALUES (7, 'committed before the fork')")
    const flushed = await psql('node1', 'SELECT pg_current_wal_lsn()')
    expect(await eventually(() => psql('node2', `SELECT pg_last_wal_replay_lsn() >= '${flushed}'`), (v) => v === 't')).toBe('t')
    expect(await psql('node2', 'SELECT count(*) FROM e2e_straddle')).toBe('2')
    await labCut(['node1'], ['node2'])
    try {
      expect(await eventually(() => role('node2'), (r) => r === 'primary', 90_000)).toBe('primary')
      expect(await role('node1')).toBe('primary')
      await inSession("COMMIT; SELECT 'committed';", 'committed')
      expect(await psql('node1', `SELECT count(*) FROM e2e_straddle WHERE note = '${STRADDLING}'`)).toBe('5')
    } finally {
      await onNode('node1', `kill $(cat ${S}/holder) 2>/dev/null; true`)
      await labHeal()
    }
    tlNew = await timeline('node2')
  })

  afterAll(async () => {
    await labHeal()
    await onNode('node1', `kill $(cat ${S}/holder 2>/dev/null) 2>/dev/null; rm -rf ${S}; true`).catch(() => '')
  })

  it('refuses to rewind node1, counting the transaction committed after the fork, and leaves it running untouched', async () => {
    const run = await rejoin('node1')
    expect(run.exitCode).toBe(2)
    const refusal = run.failures.find((f) => f.startsWith('nothing written on the node since the timelines diverged'))
    expect(refusal, run.failures.join('\n')).toMatch(new RegExp(
      `@ node1: not rejoining node1: its timeline ${tlNew - 1} left node2's history at [0-9A-F]+/[0-9A-F]+; after that it wrote \\d+ bytes of WAL up to [0-9A-F/]+, \\d+ records?, .*; ` +
        '1 transaction committed after the fork had written before it: 5 Btree INSERT_LEAF, 5 Heap INSERT, which node2 does not have; a rewind would discard them\\. .*-e rejoin_discard_diverged=true',
    ))
    console.log(`e2e: ${refusal}`)
    expect(run.changed).toEqual([])
    expect(await role('node1')).toBe('primary')
    expect(await psql('node1', 'SELECT count(*) FROM e2e_straddle')).toBe('7')
    expect(await onNode('node1', `ls ${BACKUPS} 2>/dev/null | wc -l`)).toBe('0')
  })

  it('with rejoin_discard_diverged=true, node1 keeps a copy holding the committed rows, then follows node2 without them', async () => {
    const run = await rejoin('node1', 'rejoin_discard_diverged=true')
    expectClean(run, 'rejoin node1, discarding')
    const said = run.events.flatMap((e) => (e.type === 'host:result' && e.task === 'what the rejoin discarded, and where its copy is' && e.status === 'ok' ? [String(e.result.msg)] : []))
    expect(said).toEqual([expect.stringMatching(new RegExp(`^rejoined node1, discarding what it wrote after the timelines diverged \\(.*; 1 transaction committed after the fork had written before it: 5 Btree INSERT_LEAF, 5 Heap INSERT\\); its data directory as it was is in ${BACKUPS}/node1-\\d{8}T\\d{6}$`))])
    const copy = said[0].split(' is in ')[1]
    expect(await role('node1')).toBe('standby')
    expect(await receiver('node1')).toBe('streaming:node2')
    expect(await eventually(() => psql('node1', 'SELECT string_agg(id::text, \',\' ORDER BY id) FROM e2e_straddle'), (v) => v === '1,7')).toBe('1,7')
    expect(await queryCopy('node1', copy, `SELECT count(*) FROM e2e_straddle WHERE note = $$${STRADDLING}$$`)).toBe('5')
  })
})
