// The standby clone never destroys data that may be the only copy. Through cluster.yml, as an
// operator runs it, node2's data directory is in turn a directory of other files, an unrelated cluster
// (stopped, then running), a promoted primary (running, then stopped on its newer timeline): every run is
// refused with a message that names the reason, and the directory is exactly as it was. At the end the
// override (repmgr_clone_force=true) reclones node2, the timeline it archived while promoted goes from the
// shared repository into the quarantine beside it, and the pair streams again.
import { beforeAll, describe, expect, it } from 'vitest'
import { lab, labReset, skipReason } from './lab-env.js'
import { eventually, onNode, psql, runShipped, totalChanged, type PlaybookRun } from './cluster-helpers.js'

const DATA = '/home/postgres/data'
const ASIDE = '/home/postgres/data.e2e-aside'
const BIN = '/usr/lib/postgresql/15/bin'
const CLONE_TASK = 'standby cloned from the primary (dry run first; only when not already its healthy standby)'
const QUARANTINE_TASK = 'diverged timelines moved out of the pgBackRest repository into its quarantine'
const ARCHIVE = '/var/lib/pgbackrest/archive/pgha/*'
const QUARANTINE = '/var/lib/pgbackrest-quarantine'
const asPostgres = (cmd: string): string => `runuser -u postgres -- sh -c '${cmd}'`

/** Every file's path and content hash in the data directory: identical before and after means untouched. */
const contents = (): Promise<string> => onNode('node2', `cd ${DATA} && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum`)
const systemId = (): Promise<string> => onNode('node2', `${BIN}/pg_controldata -D ${DATA} | sed -n 's/^Database system identifier: *//p'`)

/** The node keeping the pgBackRest repository (the lab's pair keeps it on the standby's disk). */
async function repositoryHost(): Promise<string> {
  for (const n of ['node2', 'node1']) if ((await onNode(n, 'test -d /var/lib/pgbackrest/archive && echo yes || true')).trim() === 'yes') return n
  throw new Error('no node keeps /var/lib/pgbackrest/archive')
}

/** cluster.yml was refused on node2: exit 2, and the reason on the task that refused it. */
function expectRefused(run: PlaybookRun, task: string, reason: RegExp): string {
  expect(run.exitCode).toBe(2)
  const failure = run.failures.find((f) => f.startsWith(`${task} @ node2:`) || f.startsWith(`${task} @ node1:`))
  expect(failure, run.failures.join('\n')).toBeDefined()
  expect(failure).toMatch(reason)
  return failure!
}

describe.skipIf(skipReason)('cluster.yml never clones over data that may be the only copy', () => {
  beforeAll(async () => {
    await labReset(['node1', 'node2'])
    const site = await runShipped('site.yml', lab.inventory)
    expect(site.failures).toEqual([])
    await psql('node1', "CREATE TABLE e2e_safety (id int primary key, note text); INSERT INTO e2e_safety VALUES (1, 'before the faults')")
    expect(await eventually(() => psql('node2', 'SELECT note FROM e2e_safety WHERE id = 1'), (v) => v === 'before the faults')).toBe('before the faults')
    await onNode('node2', 'systemctl stop pgserver')
    await onNode('node2', `mv ${DATA} ${ASIDE}`)
  })

  it('a directory of other files is refused, naming repmgr_clone_force, and left as it was', async () => {
    await onNode('node2', `install -d -o postgres -g postgres -m 0700 ${DATA} && echo 'my notes' > ${DATA}/notes.txt && mkdir ${DATA}/old && echo keep > ${DATA}/old/file`)
    const before = await contents()
    const run = await runShipped('cluster.yml', lab.inventory)
    const msg = expectRefused(run, CLONE_TASK, /is not empty and holds no PostgreSQL cluster/)
    expect(msg).toContain('repmgr_clone_force')
    expect(await contents()).toBe(before)
    await onNode('node2', `rm -rf ${DATA}`)
  })

  it('an unrelated cluster, stopped, is refused naming both system identifiers, and left as it was', async () => {
    await onNode('node2', asPostgres(`${BIN}/initdb -D ${DATA} >/dev/null`))
    await onNode('node2', asPostgres(`${BIN}/pg_ctl -D ${DATA} -w -l /tmp/e2e-unrelated.log start >/dev/null && ${BIN}/psql -XAtq -c "CREATE TABLE mine (v text); INSERT INTO mine VALUES (\\$\\$only copy\\$\\$)" && ${BIN}/pg_ctl -D ${DATA} -w stop >/dev/null`))
    const [before, sysid, primaryId] = [await contents(), await systemId(), await psql('node1', 'SELECT system_identifier FROM pg_control_system()')]
    expect(sysid).not.toBe(primaryId)
    const run = await runShipped('cluster.yml', lab.inventory)
    const msg = expectRefused(run, CLONE_TASK, new RegExp(`holds a different cluster \\(system identifier ${sysid}, the upstream's is ${primaryId}\\)`))
    expect(msg).toContain('repmgr_clone_force')
    expect(await contents()).toBe(before)
  })

  it('the unrelated cluster running (a primary in the standby\'s place) is refused: a running server is never replaced', async () => {
    await onNode('node2', asPostgres(`${BIN}/pg_ctl -D ${DATA} -w -l /tmp/e2e-unrelated.log start >/dev/null`))
    const sysid = await systemId()
    const run = await runShipped('cluster.yml', lab.inventory)
    expectRefused(run, CLONE_TASK, new RegExp(`${DATA} belongs to a running primary; a clone never replaces a running server: stop it first \\(systemctl stop pgserver\\)`))
    expect(await psql('node2', 'SELECT v FROM mine')).toBe('only copy')
    expect(await systemId()).toBe(sysid)
    await onNode('node2', asPostgres(`${BIN}/pg_ctl -D ${DATA} -w -m fast stop >/dev/null`))
    await onNode('node2', `rm -rf ${DATA} && mv ${ASIDE} ${DATA} && systemctl start pgserver`)
    expect(await eventually(() => psql('node1', "SELECT state FROM pg_stat_replication WHERE application_name = 'node2'"), (v) => v === 'streaming')).toBe('streaming')
  })

  it('node2 promoted (two primaries) is refused before any clone: split brain, the newer primary named', async () => {
    await onNode('node2', asPostgres(`${BIN}/pg_ctl -D ${DATA} -w promote >/dev/null`))
    await psql('node2', "INSERT INTO e2e_safety VALUES (2, 'written on node2 after its promotion')")
    const run = await runShipped('cluster.yml', lab.inventory)
    expect(run.exitCode).toBe(2)
    expect(run.failures.join('\n')).toMatch(/split brain: .*node2 is on the newer timeline/)
    expect(run.events.some((e) => e.type === 'host:result' && e.task === CLONE_TASK)).toBe(false)
    expect(await psql('node2', 'SELECT count(*) FROM e2e_safety')).toBe('2')
    expect(await psql('node1', 'SELECT note FROM e2e_safety')).toBe('before the faults')
  })

  it('the promoted node2 stopped, on a newer timeline, is refused naming the timelines and repmgr_clone_force, and left as it was', async () => {
    await onNode('node2', 'systemctl stop pgserver')
    const [before, sysid] = [await contents(), await systemId()]
    const run = await runShipped('cluster.yml', lab.inventory)
    const msg = expectRefused(run, CLONE_TASK, new RegExp(`${DATA} is on timeline 2, newer than the upstream's 1`))
    expect(msg).toContain('repmgr_clone_force')
    expect(await contents()).toBe(before)
    expect(await systemId()).toBe(sysid)
  })

  // node2, promoted, archived its timeline 2 into the repository every data node shares. The reclone makes
  // it a standby of node1 on timeline 1, and a standby follows the newest timeline it finds through
  // restore_command: timeline 2, which is not node1's future, so PostgreSQL would refuse to start
  // ("requested timeline 2 is not a child of this server's history"). cluster.yml moves that timeline out of
  // the repository's archive into the quarantine beside it before the recloned standby starts.
  it('with repmgr_clone_force=true node2 is recloned; its diverged timeline goes into the quarantine and it streams from node1 again', async () => {
    const repo = await repositoryHost()
    expect(await onNode(repo, `ls ${ARCHIVE}`)).toContain('00000002.history')
    const run = await runShipped('cluster.yml', lab.inventory, { extraVars: ['repmgr_clone_force=true'] })
    expect(run.failures).toEqual([])
    expect(run.exitCode).toBe(0)
    expect(run.changed).toContain(`${CLONE_TASK} @ node2`)
    expect(run.changed).toContain(`${QUARANTINE_TASK} @ node2`)
    // The task output says which files went where.
    const said = run.events.find((e) => e.type === 'host:result' && e.task === 'what was moved out of the repository, and where to')
    const msg = said && said.type === 'host:result' ? String(said.result.msg) : ''
    console.log(`e2e: ${msg}`)
    expect(msg).toMatch(/holds a timeline node1 never had \(not in node1's timeline 1\): timeline 2 \(00000002\.history/)
    const moved = (await onNode(repo, `ls -d ${QUARANTINE}/pgha-*-timeline-2-*`)).trim()
    expect(moved.split('\n')).toHaveLength(1)
    expect(msg).toContain(`Moved into ${moved} (nothing deleted`)
    expect(await onNode(repo, `ls ${moved}`)).toMatch(/^00000002\.history$/m)
    expect(await onNode(repo, `cat ${moved}/00000002.history`)).toMatch(/^1\t/)
    expect(await onNode(repo, `ls ${ARCHIVE}`)).not.toMatch(/^00000002/m)
    expect(await onNode('node2', `ls ${DATA}/pg_wal`)).not.toContain('00000002.history')

    expect(await eventually(() => psql('node1', "SELECT state FROM pg_stat_replication WHERE application_name = 'node2'"), (v) => v === 'streaming')).toBe('streaming')
    expect(await psql('node2', 'SELECT note FROM e2e_safety ORDER BY id')).toBe('before the faults')
    // The repository works on: node1's WAL reaches the archive, and its backups are listed.
    await onNode('node1', asPostgres('pgbackrest --stanza=pgha check'))
    expect(await onNode(repo, asPostgres('pgbackrest --stanza=pgha info'))).toMatch(/status: ok/)

    // Converged: a second run moves nothing and changes nothing.
    const again = await runShipped('cluster.yml', lab.inventory)
    expect(again.failures).toEqual([])
    expect(totalChanged(again)).toBe(0)
    expect((await onNode(repo, `ls -d ${QUARANTINE}/pgha-*-timeline-2-*`)).trim()).toBe(moved)
  })
})
