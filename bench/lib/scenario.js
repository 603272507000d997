// One scenario: contenders run the same work, alternating which goes first each round, after one
// unmeasured warm-up run each (it converges the hosts and warms caches and Ansible's ControlPersist).
// The contenders are pgha against ansible-playbook (bench/run.js) or two builds of pgha (bench/ab.js).
import { loadavg } from 'node:os'
import { dirname } from 'node:path'
import { measure } from './measure.js'
import { serverCpu, serverCpuSpent } from './server-cpu.js'
import { parseAnsibleRecap, parsePghaJson, pghaFailures, taskDurations, total } from './tools.js'

/**
 * @typedef {{ wallMs: number, cpuMs: number, peakRssKb: number, changed: number, failed: number, taskMs: number[], load: number }} RunStats
 * @typedef {{ pgha: RunStats[], ansible: RunStats[], mitogen?: RunStats[], taskMs: number[] }} ScenarioRuns
 * @typedef {import('./tools.js').Invocation & { output: 'pgha-json' | 'ansible' }} Contender
 */

/**
 * Runs every contender `rounds` times, the first to go rotating each round, so a drift in the machine's
 * load falls on all of them alike; a run that exits non-zero ends the scenario. Rounds are added to `runs`
 * when given (whole rounds only), so a caller can go on after a failure with what was measured before it.
 * @param {{ contenders: Record<string, Contender>, rounds: number, cwd: string, log: (m: string) => void, taskModules?: string[],
 *           runs?: Record<string, RunStats[]> }} o
 * @returns {Promise<Record<string, RunStats[]>>} each contender's runs, round by round
 */
export async function alternate(o) {
  const names = Object.keys(o.contenders)
  /** @type {Record<string, RunStats[]>} */
  const runs = o.runs ?? Object.fromEntries(names.map((n) => [n, []]))
  const done = runs[names[0]].length
  /** @param {string} name @returns {Promise<RunStats>} */
  const once = async (name) => {
    const inv = o.contenders[name]
    const load = loadavg()[0]
    const root = inv.output === 'pgha-json' ? dirname(dirname(inv.args[0])) : undefined
    const serversBefore = root ? serverCpu(root) : undefined
    const m = await measure(inv.cmd, inv.args, { env: inv.env, cwd: o.cwd })
    // A run served by pgha's run server did its work there: its CPU is pgha's too.
    if (root && serversBefore) m.cpuMs += serverCpuSpent(serversBefore, serverCpu(root))
    if (m.code !== 0) {
      const failures = inv.output === 'pgha-json' ? pghaFailures(m.stdout) : []
      throw new Error(`${name} exited ${m.code}:\n${failures.length ? failures.join('\n') : (m.stdout + m.stderr).slice(-4000)}`)
    }
    const base = { wallMs: m.wallMs, cpuMs: m.cpuMs, peakRssKb: m.peakRssKb, load }
    if (inv.output === 'pgha-json') {
      const doc = parsePghaJson(m.stdout)
      const taskMs = o.taskModules ? taskDurations(doc, o.taskModules) : []
      return { ...base, changed: total(doc.recap, 'changed'), failed: total(doc.recap, 'failed'), taskMs }
    }
    const recap = parseAnsibleRecap(m.stdout)
    return { ...base, changed: total(recap, 'changed'), failed: total(recap, 'failed'), taskMs: [] }
  }
  o.log(`  warm-up: ${names.join(', ')}`)
  for (const name of names) await once(name)
  for (let r = done; r < done + o.rounds; r++) {
    const order = names.map((_, i) => names[(i + r) % names.length])
    const line = []
    /** @type {Record<string, RunStats>} */
    const round = {}
    for (const name of order) {
      const s = await once(name)
      round[name] = s
      line.push(`${name} ${(s.wallMs / 1000).toFixed(2)} s, cpu ${(s.cpuMs / 1000).toFixed(2)} s (changed ${s.changed})`)
    }
    for (const name of names) runs[name].push(round[name])
    o.log(`  round ${r + 1}/${done + o.rounds}, load ${loadavg()[0].toFixed(1)}: ${line.join('; ')}`)
  }
  return runs
}

/**
 * pgha against ansible-playbook, and against ansible-playbook with Mitogen when given.
 * @param {{ pgha: import('./tools.js').Invocation, ansible: import('./tools.js').Invocation,
 *           mitogen?: import('./tools.js').Invocation, rounds: number, cwd: string, log: (m: string) => void,
 *           taskModules?: string[] }} o
 * @returns {Promise<ScenarioRuns>}
 */
export async function runScenario(o) {
  /** @type {Record<string, Contender>} */
  const contenders = { pgha: { ...o.pgha, output: 'pgha-json' }, ansible: { ...o.ansible, output: 'ansible' } }
  if (o.mitogen) contenders.mitogen = { ...o.mitogen, output: 'ansible' }
  const runs = await alternate({ contenders, rounds: o.rounds, cwd: o.cwd, log: o.log, taskModules: o.taskModules })
  return { pgha: runs.pgha, ansible: runs.ansible, ...(o.mitogen ? { mitogen: runs.mitogen } : {}), taskMs: runs.pgha.flatMap((r) => r.taskMs) }
}
