// A fresh site.yml's wall time by phase, for either tool: both run the same task names (bench/ansible
// translates pgha's playbooks task for task), so a task's name says which phase it belongs to. Tasks run
// host by host in step, so a task costs the slowest host's time and the phases add up to the run.

/** The phases, first match wins; what matches none is "other" (config files, users, registration, checks). */
export const PHASES = [
  ['packages', /packages?\b.*\((Debian|EL)|pgBackRest package|build dependencies|server headers|logrotate installed/i],
  ['repmgr build or cache', /repmgr source|repmgr configured|build cache|cached build|source's SHA-256|repmgr is built for|packed for the build/i],
  ['initdb', /initialise the data directory/i],
  ['clone and standby start', /standby cloned|pgserver running on the standby/i],
  ['pgBackRest stanza and first backup', /stanza created|archiving works|first full backup/i],
  ['waits (connections, streaming, repmgrd)', /accepts repmgr connections|receives WAL|is streaming|streams from it again|repmgrd is running|waiting/i],
]

/** @param {string} task @returns {string} */
export function phaseOf(task) {
  for (const [phase, re] of PHASES) if (re.test(task)) return phase
  return 'other'
}

/**
 * Seconds per phase from (task name, seconds) pairs, in PHASES order with "other" last.
 * @param {{ task: string, s: number }[]} tasks @returns {Record<string, number>}
 */
export function byPhase(tasks) {
  /** @type {Record<string, number>} */
  const out = Object.fromEntries([...PHASES.map(([p]) => [p, 0]), ['other', 0]])
  for (const t of tasks) out[phaseOf(t.task)] += t.s
  return out
}

/**
 * Each task of `pgha run -o json`'s document with its slowest host's time.
 * @param {{ plays: { tasks: { name: string, hosts: Record<string, any> }[] }[] }} doc
 * @returns {{ task: string, s: number }[]}
 */
export function pghaTaskTimes(doc) {
  const out = []
  for (const play of doc.plays) {
    for (const task of play.tasks) {
      const ms = Object.values(task.hosts).flatMap((e) => [e].flat()).reduce((sum, e) => Math.max(sum, e.durationMs ?? 0), 0)
      out.push({ task: task.name, s: ms / 1000 })
    }
  }
  return out
}

/**
 * The task lines of ansible.posix.profile_tasks' summary: `play : task ---- 12.34s` (or without the play).
 * @param {string} stdout @returns {{ task: string, s: number }[]}
 */
export function ansibleTaskTimes(stdout) {
  const out = []
  const at = stdout.lastIndexOf('PLAY RECAP')
  for (const line of (at < 0 ? stdout : stdout.slice(at)).split('\n')) {
    const m = /^(.*?)\s-+\s+(\d+(?:\.\d+)?)s\s*$/.exec(line.trim())
    if (m) out.push({ task: m[1], s: Number(m[2]) })
  }
  return out
}
