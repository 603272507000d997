// The services on the lab as a DBA checks them: the postmaster protected from the OOM killer and its
// backends not, a stop that waits for the shutdown checkpoint, `systemctl reload repmgrd`, the server log
// rotated, and repmgrd's start and restart never failing while its server restarts or is down (the
// article's forking unit failed them: repmgrd checks its server before it forks).
import { beforeAll, describe, expect, it } from 'vitest'
import { labExec, skipReason } from './lab-env.js'
import { establishCluster, eventually, onNode, psql } from './ops-helpers.js'

/** `systemctl show UNIT -p PROP --value`. */
const show = async (node: string, unit: string, prop: string): Promise<string> => (await onNode(node, `systemctl show ${unit} -p ${prop} --value`)).trim()

/** A systemctl command's exit code and what it printed (`Job for repmgrd.service failed ...` when it fails). */
async function systemctl(node: string, args: string): Promise<{ rc: number; out: string }> {
  const r = await labExec(node, ['sh', '-c', `systemctl ${args}`])
  return { rc: r.rc, out: (r.stdout + r.stderr).trim() }
}

/** repmgrd runs and has registered with its server (repmgr's shared memory says so). */
const repmgrdRunning = (node: string): Promise<string> => psql(node, 'SELECT repmgr.repmgrd_is_running()', 'repmgr')

describe.skipIf(skipReason)('service hygiene on the lab: pgserver and repmgrd units, log rotation', () => {
  beforeAll(async () => {
    await establishCluster()
  })

  it('pgserver: OOMScoreAdjust=-1000 for the postmaster, and every backend it starts sets its own score back to 0', async () => {
    expect(await show('node1', 'pgserver', 'OOMScoreAdjust')).toBe('-1000')
    const postmaster = (await onNode('node1', 'head -n 1 /home/postgres/data/postmaster.pid')).trim()
    expect((await onNode('node1', `tr '\\0' '\\n' < /proc/${postmaster}/environ | grep ^PG_OOM_ADJUST_ | sort`)).trim()).toBe('PG_OOM_ADJUST_FILE=/proc/self/oom_score_adj\nPG_OOM_ADJUST_VALUE=0')
    // The lab's containers (and the machine under them) may not lower an OOM score (no CAP_SYS_RESOURCE),
    // so the postmaster runs at 0 here instead of -1000, and a backend at 0 would prove nothing. Raising
    // needs no privilege: with the postmaster at 500, a new backend must still set itself to 0.
    await onNode('node1', `echo 500 > /proc/${postmaster}/oom_score_adj`)
    try {
      expect(await psql('node1', "SELECT trim(pg_read_file('/proc/self/oom_score_adj'))")).toBe('0')
      expect((await onNode('node1', `cat /proc/${postmaster}/oom_score_adj`)).trim()).toBe('500')
    } finally {
      await onNode('node1', `echo 0 > /proc/${postmaster}/oom_score_adj`)
    }
    // A long-lived child of the postmaster too (the WAL sender to node2).
    const walsender = await psql('node1', "SELECT pid FROM pg_stat_replication WHERE application_name = 'node2'")
    expect((await onNode('node1', `cat /proc/${walsender}/oom_score_adj`)).trim()).toBe('0')
    expect(await show('node1', 'pgserver', 'TimeoutStopUSec')).toBe('10min')
    expect(await onNode('node1', 'systemctl cat pgserver')).toMatch(/^ExecStop=.*pg_ctl stop -D \/home\/postgres\/data -s -m fast -t 600$/m)
  })

  it('systemctl reload repmgrd works: repmgrd reads its configuration again and keeps running, same PID', async () => {
    const pid = await show('node2', 'repmgrd', 'MainPID')
    expect(Number(pid)).toBeGreaterThan(0)
    const reload = await systemctl('node2', 'reload repmgrd')
    expect(reload).toEqual({ rc: 0, out: '' })
    const logged = await eventually(() => onNode('node2', 'grep -c "received SIGHUP, reloading configuration" /home/postgres/repmgr.log'), (v) => Number(v) > 0)
    expect(Number(logged)).toBeGreaterThan(0)
    expect(await show('node2', 'repmgrd', 'MainPID')).toBe(pid)
    expect(await show('node2', 'repmgrd', 'ActiveState')).toBe('active')
  })

  it('starting and restarting repmgrd never fails while PostgreSQL restarts, and repmgrd ends up running', async () => {
    for (const node of ['node1', 'node2']) {
      for (let i = 0; i < 5; i++) {
        // The server restarts in the background while repmgrd is started, then restarted at once.
        const r = await labExec(node, ['sh', '-c', [
          'systemctl stop repmgrd',
          `(sleep 0.${i * 2}; systemctl restart pgserver) & bg=$!`,
          'systemctl start repmgrd || { echo "start failed"; st=1; }',
          'systemctl restart repmgrd || { echo "restart failed"; st=1; }',
          'wait $bg; exit ${st:-0}',
        ].join('\n')])
        expect({ node, round: i, rc: r.rc, out: (r.stdout + r.stderr).trim() }).toEqual({ node, round: i, rc: 0, out: '' })
        // Restarts of pgserver faster than systemd's start limit (5 in 10 s) would be refused by systemd itself.
        await new Promise((res) => setTimeout(res, 2500))
      }
      expect(await eventually(() => repmgrdRunning(node), (v) => v === 't', 90_000)).toBe('t')
    }
    // node2 streams again after its restarts.
    expect(await eventually(() => psql('node1', "SELECT state FROM pg_stat_replication WHERE application_name = 'node2'"), (v) => v === 'streaming', 60_000)).toBe('streaming')
  })

  it("starting repmgrd while its server is down succeeds, and it runs once the server is back (the forking unit's start failed here)", async () => {
    await onNode('node2', 'systemctl stop repmgrd && systemctl stop pgserver')
    expect(await systemctl('node2', 'start repmgrd')).toEqual({ rc: 0, out: '' })
    await onNode('node2', 'systemctl start pgserver')
    expect(await eventually(() => repmgrdRunning('node2'), (v) => v === 't', 90_000)).toBe('t')
    expect(await show('node2', 'repmgrd', 'ActiveState')).toBe('active')
    expect(await eventually(() => psql('node1', "SELECT state FROM pg_stat_replication WHERE application_name = 'node2'"), (v) => v === 'streaming', 60_000)).toBe('streaming')
  })

  it('logrotate rotates the server log, and the server goes on writing to pgserver.log', async () => {
    await onNode('node1', 'logrotate -f /etc/logrotate.d/pgserver')
    expect(await onNode('node1', 'ls /home/postgres/pgserver.log.1 /home/postgres/repmgr.log.1')).toMatch(/pgserver\.log\.1\n.*repmgr\.log\.1/)
    // A reload makes the server log a line: it lands in the emptied pgserver.log.
    await psql('node1', 'SELECT pg_reload_conf()')
    const log = await eventually(() => onNode('node1', 'cat /home/postgres/pgserver.log'), (v) => /received SIGHUP, reloading configuration files/.test(v))
    expect(log).toMatch(/received SIGHUP, reloading configuration files/)
  })
})
