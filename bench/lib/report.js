// bench/results/<date>.md: medians per scenario, the pgha/Ansible ratio, and each target as measured.
import { fmtKb, fmtMs, median, speedup } from './stats.js'

/**
 * @typedef {import('./scenario.js').ScenarioRuns} ScenarioRuns
 * @typedef {{ key: 'a' | 'b' | 'c', title: string, hosts: number, forks: number, tasks: string, runs: ScenarioRuns }} ScenarioResult
 * @typedef {{ label: string, measured: string, target: string, met: boolean }} TargetRow
 */

/** @param {ScenarioResult} s */
export function summarize(s) {
  const p = s.runs.pgha
  const a = s.runs.ansible
  const pghaMs = median(p.map((r) => r.wallMs))
  const ansibleMs = median(a.map((r) => r.wallMs))
  return {
    pghaMs, ansibleMs, speedup: speedup(pghaMs, ansibleMs),
    pghaPeakKb: Math.max(...p.map((r) => r.peakRssKb)),
    ansiblePeakKb: Math.max(...a.map((r) => r.peakRssKb)),
    pghaChanged: Math.max(...p.map((r) => r.changed)),
    ansibleChanged: Math.max(...a.map((r) => r.changed)),
    taskMs: median(s.runs.taskMs),
    // The first task of a read-ahead batch carries the batch's round trips: the mean shows them spread out.
    taskMeanMs: s.runs.taskMs.reduce((sum, ms) => sum + ms, 0) / s.runs.taskMs.length,
  }
}

/**
 * The targets, each against what was measured; scenarios not run are left out.
 * @param {ScenarioResult[]} results @returns {TargetRow[]}
 */
export function targets(results) {
  const rows = []
  const by = Object.fromEntries(results.map((r) => [r.key, summarize(r)]))
  for (const key of ['a', 'b']) {
    if (by[key]) rows.push({ label: `(${key}) pgha faster than ansible-playbook`, measured: `${by[key].speedup.toFixed(1)}x`, target: '>= 30x', met: by[key].speedup >= 30 })
  }
  if (by.a) rows.push({ label: '(a) engine-side median of a file/lineinfile task on one host', measured: `${fmtMs(by.a.taskMs)} (mean ${fmtMs(by.a.taskMeanMs)})`, target: '< 5 ms', met: by.a.taskMs < 5 })
  if (by.b) rows.push({ label: '(b) peak controller memory of pgha', measured: fmtKb(by.b.pghaPeakKb), target: '< 200 MB', met: by.b.pghaPeakKb < 200 * 1024 })
  if (by.c) rows.push({ label: '(c) converged site.yml re-run on 2 nodes, process start included', measured: fmtMs(by.c.pghaMs), target: '< 1.5 s', met: by.c.pghaMs < 1500 })
  return rows
}

/**
 * @param {{ date: string, environment: Record<string, string>, results: ScenarioResult[], notes: string[] }} o
 * @returns {string}
 */
export function reportMarkdown(o) {
  const lines = [`# pgha vs ansible-playbook, ${o.date}`, '', 'Produced by `npm run bench` (bench/run.js). Wall time of whole processes, start to exit, tools alternating',
    'which goes first each round after one unmeasured warm-up run each; medians over the rounds. Peak memory is',
    'the largest resident set /usr/bin/time saw (for Ansible: its biggest single process).', '']
  lines.push('## Environment', '')
  for (const [k, v] of Object.entries(o.environment)) lines.push(`- ${k}: ${v}`)
  lines.push('', '## Results', '', '| scenario | hosts | forks | tasks | rounds | pgha median | ansible-playbook median | ansible / pgha | pgha peak RSS | changed (pgha / ansible) |', '|---|---|---|---|---|---|---|---|---|---|')
  for (const r of o.results) {
    const s = summarize(r)
    lines.push(`| (${r.key}) ${r.title} | ${r.hosts} | ${r.forks} | ${r.tasks} | ${r.runs.pgha.length} | ${fmtMs(s.pghaMs)} | ${fmtMs(s.ansibleMs)} | ${s.speedup.toFixed(1)}x | ${fmtKb(s.pghaPeakKb)} | ${s.pghaChanged} / ${s.ansibleChanged} |`)
  }
  lines.push('', '## Targets', '', '| target | measured | wanted | met |', '|---|---|---|---|')
  for (const t of targets(o.results)) lines.push(`| ${t.label} | ${t.measured} | ${t.target} | ${t.met ? 'yes' : '**no**'} |`)
  lines.push('', '## Every round', '')
  for (const r of o.results) {
    lines.push(`(${r.key}) pgha: ${r.runs.pgha.map((x) => fmtMs(x.wallMs)).join(', ')}  `)
    lines.push(`(${r.key}) ansible-playbook: ${r.runs.ansible.map((x) => fmtMs(x.wallMs)).join(', ')}`, '')
  }
  if (o.notes.length) lines.push('## Notes', '', ...o.notes.map((n) => `- ${n}`), '')
  return lines.join('\n')
}
