// One scenario: both tools run the same work, alternating which goes first each round, after one
// unmeasured warm-up run each (it converges the hosts and warms caches and Ansible's ControlPersist).
import { measure } from './measure.js'
import { parseAnsibleRecap, parsePghaJson, taskDurations, total } from './tools.js'

/**
 * @typedef {{ wallMs: number, peakRssKb: number, changed: number, failed: number }} RunStats
 * @typedef {{ pgha: RunStats[], ansible: RunStats[], taskMs: number[] }} ScenarioRuns
 */

/**
 * @param {{ pgha: import('./tools.js').Invocation, ansible: import('./tools.js').Invocation, rounds: number,
 *           cwd: string, log: (m: string) => void, taskModules?: string[] }} o
 * @returns {Promise<ScenarioRuns>}
 */
export async function runScenario(o) {
  /** @type {ScenarioRuns} */
  const runs = { pgha: [], ansible: [], taskMs: [] }
  const once = async (tool) => {
    const inv = o[tool]
    const m = await measure(inv.cmd, inv.args, { env: inv.env, cwd: o.cwd })
    if (m.code !== 0) throw new Error(`${tool} exited ${m.code}:\n${(m.stdout + m.stderr).slice(-4000)}`)
    if (tool === 'pgha') {
      const doc = parsePghaJson(m.stdout)
      if (o.taskModules) runs.taskMs.push(...taskDurations(doc, o.taskModules))
      return { wallMs: m.wallMs, peakRssKb: m.peakRssKb, changed: total(doc.recap, 'changed'), failed: total(doc.recap, 'failed') }
    }
    const recap = parseAnsibleRecap(m.stdout)
    return { wallMs: m.wallMs, peakRssKb: m.peakRssKb, changed: total(recap, 'changed'), failed: total(recap, 'failed') }
  }
  o.log('  warm-up: pgha, ansible-playbook')
  await once('pgha')
  await once('ansible')
  runs.taskMs = []
  for (let r = 0; r < o.rounds; r++) {
    const order = r % 2 === 0 ? ['pgha', 'ansible'] : ['ansible', 'pgha']
    const line = []
    for (const tool of order) {
      const s = await once(tool)
      runs[tool].push(s)
      line.push(`${tool} ${(s.wallMs / 1000).toFixed(2)} s (changed ${s.changed})`)
    }
    o.log(`  round ${r + 1}/${o.rounds}: ${line.join(', ')}`)
  }
  return runs
}
