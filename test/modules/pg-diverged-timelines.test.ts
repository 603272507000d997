// pg_diverged_timelines takes a timeline the live primary never had out of a standby's way. In a
// pgBackRest repository (a real directory tree here, the module's own commands run on this machine) it is
// moved, history file and WAL directory, into a named quarantine beside the repository with a README, and
// a second run finds nothing to do. In a standby's pg_wal (a fake host answering as the lab's does) the
// history file a failed start restored is removed, after the primary was asked for its lineage; a data
// directory on a timeline of its own is left alone.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { FakeTransport } from '../../src/transport/fake.js'
import { runModule } from './harness.js'
import { runLocal } from './local-host.js'

const work = mkdtempSync(join(tmpdir(), 'pgha-diverged-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

/** A repository whose archive holds timeline 1 (the kept primary's) and timeline 2 (a split brain's). */
function repository(name: string): { repo: string; archive: string; quarantine: string } {
  const repo = join(work, name, 'pgbackrest')
  const archive = join(repo, 'archive', 'pgha', '15-1')
  mkdirSync(join(archive, '0000000100000000'), { recursive: true })
  mkdirSync(join(archive, '0000000200000000'), { recursive: true })
  writeFileSync(join(repo, 'archive', 'pgha', 'archive.info'), '[db]\ndb-id=1\n')
  writeFileSync(join(archive, '0000000100000000', '000000010000000000000003-aa.zst'), 'tl1')
  // The promoted node archived the last segment of timeline 1 it had, as a partial one, under timeline 1.
  writeFileSync(join(archive, '0000000100000000', '000000010000000000000004.partial-bb.zst'), 'partial')
  writeFileSync(join(archive, '00000002.history'), '1\t0/3000148\tno recovery target specified\n')
  writeFileSync(join(archive, '0000000200000000', '000000020000000000000003-cc.zst'), 'tl2')
  writeFileSync(join(archive, '0000000200000000', '000000020000000000000004-dd.zst'), 'tl2')
  return { repo, archive, quarantine: join(work, name, 'pgbackrest-quarantine') }
}

const archiveArgs = (r: { repo: string; quarantine: string }, lineage: { timeline: number; ancestors?: string }): Record<string, unknown> => ({
  ...lineage, primary_name: 'node1', repo_path: r.repo, stanza: 'pgha', quarantine_dir: r.quarantine,
})

describe('pg_diverged_timelines in the repository', () => {
  it('moves the timeline node1 never had, history file and WAL, into the named quarantine; nothing else moves', async () => {
    const r = repository('split')
    const { plan, result } = await runLocal('pg_diverged_timelines', archiveArgs(r, { timeline: 1 }))
    expect(plan.changes.map((c) => c.description)).toEqual([
      `move timeline 2 (00000002.history, 2 WAL files in 0000000200000000) out of ${r.archive} into ${r.quarantine}, since node1 never had it`,
    ])
    expect(result.diverged).toEqual([2])
    const [moved] = readdirSync(r.quarantine)
    expect(moved).toMatch(/^pgha-15-1-timeline-2-\d{8}T\d{6}Z$/)
    expect(result.quarantined).toEqual([join(r.quarantine, moved)])
    expect(result.msg).toContain(`Moved into ${join(r.quarantine, moved)} (nothing deleted`)
    expect(readdirSync(join(r.quarantine, moved)).sort()).toEqual(['00000002.history', '0000000200000000', 'README'])
    expect(readdirSync(join(r.quarantine, moved, '0000000200000000')).sort()).toEqual(['000000020000000000000003-cc.zst', '000000020000000000000004-dd.zst'])
    expect(readFileSync(join(r.quarantine, moved, 'README'), 'utf8')).toContain(`move these files back into ${r.archive}/`)
    expect(readdirSync(r.archive).sort()).toEqual(['0000000100000000'])
    expect(readdirSync(join(r.archive, '0000000100000000')).sort()).toEqual(['000000010000000000000003-aa.zst', '000000010000000000000004.partial-bb.zst'])
    // Converged: a second run changes nothing.
    const again = await runLocal('pg_diverged_timelines', archiveArgs(r, { timeline: 1 }))
    expect(again.plan.changes).toEqual([])
    expect(again.result.msg).toBe(`${r.archive} holds no timeline outside node1's timeline 1`)
  })

  it('the kept primary promoted again (timeline 3, from 1): timeline 3 stays, 2 goes; check mode only says so', async () => {
    const r = repository('promoted-again')
    writeFileSync(join(r.archive, '00000003.history'), '1\t0/5000000\tno recovery target specified\n')
    const check = await runLocal('pg_diverged_timelines', archiveArgs(r, { timeline: 3, ancestors: '1' }), { check: true })
    expect(check.plan.changes).toHaveLength(1)
    expect(check.plan.changes[0].description).toContain('move timeline 2 ')
    expect(existsSync(r.quarantine)).toBe(false)
    await runLocal('pg_diverged_timelines', archiveArgs(r, { timeline: 3, ancestors: '1' }))
    expect(readdirSync(r.archive).sort()).toEqual(['0000000100000000', '00000003.history'])
  })

  it('a primary descending from timeline 2 keeps it', async () => {
    const r = repository('descends')
    const { plan } = await runLocal('pg_diverged_timelines', archiveArgs(r, { timeline: 2, ancestors: '1' }))
    expect(plan.changes).toEqual([])
    expect(existsSync(join(r.archive, '00000002.history'))).toBe(true)
  })

  it('a repository without the stanza\'s archive holds nothing to move', async () => {
    const { plan } = await runLocal('pg_diverged_timelines', archiveArgs({ repo: join(work, 'none'), quarantine: join(work, 'none-q') }, { timeline: 1 }))
    expect(plan.changes).toEqual([])
  })
})

const DATA = '/home/postgres/data'
/** What the lab's standby answers: its data directory (stopped, on `tli`), the primary's lineage, its pg_wal. */
function standby(tli: number, pgWal: string[]): FakeTransport {
  return new FakeTransport('node2')
    .respond(/pg_controldata/, { stdout: `dir=present\nentries=24\nsysid=7712584336385451183\nstate=shut down in recovery\ntli=${tli}\nserver=stopped\n` })
    .respond(/psql/, { stdout: 'tli=1\nlsn=0/6000060\nrc=0\n' })
    .respond(/pg_wal/, { stdout: [`path=${DATA}/pg_wal`, ...pgWal.flatMap((h) => [`history=${h}`, `line=${h} 1\t0/3000148\tno recovery target specified`])].join('\n') })
    .respond(/^rm /, { rc: 0 })
}
const walArgs = { primary_host: 'node1', bindir: '/usr/lib/postgresql/15/bin', data_directory: DATA }

describe('pg_diverged_timelines in a standby\'s pg_wal', () => {
  it('removes the history file a failed start restored there, after asking node1 for its lineage', async () => {
    const host = standby(1, ['00000002.history'])
    const { result } = await runModule('pg_diverged_timelines', walArgs, host)
    const commands = host.calls.map((c) => c.command ?? '')
    expect(commands.some((c) => c.includes("'host=node1 port=5432 user=repmgr dbname=repmgr connect_timeout=2'"))).toBe(true)
    expect(commands.at(-1)).toBe(`rm -f -- ${DATA}/pg_wal/00000002.history`)
    expect(result).toMatchObject({ timeline: 1, ancestors: [], diverged: [2], removed: [`${DATA}/pg_wal/00000002.history`] })
  })

  it('changes nothing when its pg_wal holds only the primary\'s lineage', async () => {
    const host = standby(1, [])
    const { plan, result } = await runModule('pg_diverged_timelines', walArgs, host)
    expect(plan.changes).toEqual([])
    expect(result).toMatchObject({ timeline: 1, ancestors: [], diverged: [] })
  })

  it('leaves alone a data directory on a timeline the primary never had, and the repository too: that history is its own', async () => {
    const host = standby(2, ['00000002.history'])
    const { plan, result } = await runModule('pg_diverged_timelines', walArgs, host)
    expect(plan.changes).toEqual([])
    expect(result.msg).toBe(`${DATA} is on timeline 2, which node1 never had: its pg_wal and the repository are left as they are`)
    // Without the lineage in its result, the repository's task that follows is skipped.
    expect(result.timeline).toBeUndefined()
    expect(host.calls.some((c) => c.command?.startsWith('rm '))).toBe(false)
  })

  it('fails when the primary cannot be asked, except in check mode, which says the run will', async () => {
    const host = (): FakeTransport => new FakeTransport('node2')
      .respond(/pg_controldata/, { stdout: 'dir=present\nentries=24\nsysid=1\ntli=1\nserver=stopped\n' })
      .respond(/psql/, { stdout: 'psql: error: connection to server at "node1" failed: Connection refused\nrc=2\n' })
    await expect(runModule('pg_diverged_timelines', walArgs, host())).rejects.toThrow(/cannot ask node1 for its timeline history: connection to server at "node1" failed/)
    const check = await runModule('pg_diverged_timelines', walArgs, host(), { check: true })
    expect(check.result.msg).toBe('cannot ask node1 for its timeline history in check mode; the run will')
  })
})
