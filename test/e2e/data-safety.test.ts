// The standby clone never destroys data that may be the only copy. Through cluster.yml, as an
// operator runs it, node2's data directory is in turn a directory of other files, an unrelated cluster
// (stopped, then running), a promoted primary (running, then stopped on its newer timeline): every run is
// refused with a message that names the reason, and the directory is exactly as it was. At the end the
// override (repmgr_clone_force=true) reclones node2 and the pair streams again.
import { beforeAll, describe, expect, it } from 'vitest'
import { lab, labReset, skipReason } from './lab-env.js'
import { eventually, onNode, psql, runShipped, type PlaybookRun } from './cluster-helpers.js'

const DATA = '/home/postgres/data'
const ASIDE = '/home/postgres/data.e2e-aside'
const BIN = '/usr/lib/postgresql/15/bin'
const CLONE_TASK = 'standby cloned from the primary (dry run first; only when not already its healthy standby)'
const asPostgres = (cmd: string): string => `runuser -u postgres -- sh -c '${cmd}'`

/** Every file's path and content hash in the data directory: identical before and after means untouched. */
const contents = (): Promise<string> => onNode('node2', `cd ${DATA} && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum`)
const systemId = (): Promise<string> => onNode('node2', `${BIN}/pg_controldata -D ${DATA} | sed -n 's/^Database system identifier: *//p'`)

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
  // restore_command: timeline 2, which is not node1's future, so PostgreSQL refuses to start
  // ("requested timeline 2 is not a child of this server's history"). pgha does not yet remove a diverged
  // timeline from the repository by itself: the operator's step (README, "Split brain") is done here.
  it('with repmgr_clone_force=true node2 is recloned; once its diverged timeline is out of the repository it streams from node1 again', async () => {
    const run = await runShipped('cluster.yml', lab.inventory, { extraVars: ['repmgr_clone_force=true'] })
    expect(run.changed).toContain(`${CLONE_TASK} @ node2`)
    if (run.failures.length > 0) {
      expect(run.failures).toEqual([expect.stringMatching(/^pgserver running on the standby @ node2: start pgserver\.service failed/)])
      expect(await onNode('node2', 'tail -n 50 /home/postgres/pgserver.log')).toContain('requested timeline 2 is not a child of this server\'s history')
      for (const node of ['node1', 'node2']) await onNode(node, "find /var/lib/pgbackrest/archive -name '00000002.history*' -delete 2>/dev/null || true")
      await onNode('node2', `rm -f ${DATA}/pg_wal/00000002.history`) // the first start restored it there
      await onNode('node2', 'systemctl reset-failed pgserver; systemctl start pgserver')
    }
    expect(await eventually(() => psql('node1', "SELECT state FROM pg_stat_replication WHERE application_name = 'node2'"), (v) => v === 'streaming')).toBe('streaming')
    expect(await psql('node2', 'SELECT note FROM e2e_safety ORDER BY id')).toBe('before the faults')
  })
})
