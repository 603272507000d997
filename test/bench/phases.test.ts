import { describe, expect, it } from 'vitest'
// @ts-expect-error plain JS module without declarations (the bench runs with node, unbuilt)
import { ansibleTaskTimes, byPhase, phaseOf, pghaTaskTimes } from '../../bench/lib/phases.js'

// The end of ansible-playbook's output with ansible.posix.profile_tasks: the recap, then every task's
// wall time, a long name with a single dash before its time.
const ansibleOut = `TASK [repmgr cluster show] *****
Sunday 06 December 2026  17:20:01 +0000 (0:00:00.512)       0:05:01.222 *******
ok: [node1]

PLAY RECAP *********************************************************************
node1                      : ok=60   changed=40   unreachable=0    failed=0    skipped=20   rescued=0    ignored=0

Sunday 06 December 2026  17:20:02 +0000 (0:00:00.402)       0:05:02.000 *******
===============================================================================
PostgreSQL packages (Debian) ------------------------------------------ 201.37s
repmgr configured, built and installed --------------------------------- 66.02s
standby cloned from the primary (dry run first; only when not already its healthy standby) - 7.41s
postgres user ----------------------------------------------------------- 0.31s
`

describe('a fresh run by phase', () => {
  it('reads every task time of profile_tasks\' summary, not the timestamps of the task headers', () => {
    expect(ansibleTaskTimes(ansibleOut)).toEqual([
      { task: 'PostgreSQL packages (Debian)', s: 201.37 },
      { task: 'repmgr configured, built and installed', s: 66.02 },
      { task: 'standby cloned from the primary (dry run first; only when not already its healthy standby)', s: 7.41 },
      { task: 'postgres user', s: 0.31 },
    ])
  })

  it('takes each pgha task at its slowest host, loop items included', () => {
    const doc = {
      plays: [{
        name: 'p',
        tasks: [
          { name: 'PostgreSQL packages (Debian)', hosts: { node1: { durationMs: 1000 }, node2: { durationMs: 3000 } } },
          { name: 'hosts', hosts: { node1: [{ durationMs: 100 }, { durationMs: 700 }] } },
        ],
      }],
    }
    expect(pghaTaskTimes(doc)).toEqual([{ task: 'PostgreSQL packages (Debian)', s: 3 }, { task: 'hosts', s: 0.7 }])
  })

  it('puts the shipped playbooks\' tasks in their phases and sums them', () => {
    const expected: [string, string][] = [
      ['PostgreSQL packages (Debian)', 'packages'],
      ['pgBackRest package', 'packages'],
      ['repmgr build dependencies (Debian)', 'packages'],
      ['PostgreSQL server headers (packages)', 'packages'],
      ['repmgr configured, built and installed', 'repmgr build or cache'],
      ['repmgr installed from the build cache', 'repmgr build or cache'],
      ['initialise the data directory (primary and witness; only when it holds no cluster)', 'initdb'],
      ['standby cloned from the primary (dry run first; only when not already its healthy standby)', 'clone and standby start'],
      ['a first full backup (only when the repository holds no backup)', 'pgBackRest stanza and first backup'],
      ['the standby just started receives WAL (pg_stat_wal_receiver), as repmgr requires to register it', 'waits (connections, streaming, repmgrd)'],
      ['postgres user', 'other'],
    ]
    expect(expected.map(([task]) => [task, phaseOf(task)])).toEqual(expected)
    const phases = byPhase([{ task: 'PostgreSQL packages (Debian)', s: 2 }, { task: 'pgBackRest package', s: 1 }, { task: 'postgres user', s: 0.5 }])
    expect(phases.packages).toBe(3)
    expect(phases.other).toBe(0.5)
    expect(Object.keys(phases).at(-1)).toBe('other')
  })
})
