// bench/results/<date>.md: medians per scenario, the pgha/Ansible and pgha/Mitogen ratios, and each target as
// measured.
import { fmtKb, fmtMs, median, speedup } from './stats.js'

/**
 * @typedef {import('./scenario.js').ScenarioRuns} ScenarioRuns
 * @typedef {{ key: 'a' | 'b' | 'c' | 'm', title: string, hosts: number, forks: number, tasks: string, runs: ScenarioRuns }} ScenarioResult
 * @typedef {{ label: string, measured: string, target: string, met: boolean }} TargetRow
 */

/** @param {ScenarioResult} s */
export function summarize(s) {
  const p = s.runs.pgha
  const a = s.runs.ansible
  const m = s.runs.mitogen
  const pghaMs = median(p.map((r) => r.wallMs))
  const ansibleMs = median(a.map((r) => r.wallMs))
  const mitogenMs = m ? median(m.map((r) => r.wallMs)) : NaN
  const loads = [p, a, m ?? []].flat().map((r) => r.load)
  return {
    pghaMs, ansibleMs, speedup: speedup(pghaMs, ansibleMs), mitogenMs, mitogenSpeedup: speedup(pghaMs, mitogenMs),
    loadMin: Math.min(...loads), loadMax: Math.max(...loads),
    pghaCpuMs: median(p.map((r) => r.cpuMs)),
    ansibleCpuMs: median(a.map((r) => r.cpuMs)),
    mitogenCpuMs: m ? median(m.map((r) => r.cpuMs)) : NaN,
    pghaPeakKb: Math.max(...p.map((r) => r.peakRssKb)),
    ansiblePeakKb: Math.max(...a.map((r) => r.peakRssKb)),
    pghaChanged: Math.max(...p.map((r) => r.changed)),
    ansibleChanged: Math.max(...a.map((r) => r.changed)),
    mitogenChanged: m ? Math.max(...m.map((r) => r.changed)) : 0,
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
  if (by.b) rows.push({ label: '(b) pgha faster than ansible-playbook', measured: `${by.b.speedup.toFixed(1)}x`, target: '>= 30x', met: by.b.speedup >= 30 })
  for (const key of ['a', 'm']) {
    const s = by[key]
    if (!s) continue
    rows.push({ label: `(${key}) pgha faster than ansible-playbook`, measured: `${s.speedup.toFixed(1)}x`, target: '>= 80x', met: s.speedup >= 80 })
    if (Number.isFinite(s.mitogenMs)) rows.push({ label: `(${key}) pgha faster than ansible-playbook with Mitogen`, measured: `${s.mitogenSpeedup.toFixed(1)}x`, target: '>= 40x', met: s.mitogenSpeedup >= 40 })
  }
  if (by.a) rows.push({ label: '(a) engine-side median of a file/lineinfile task on one host', measured: `${fmtMs(by.a.taskMs)} (mean ${fmtMs(by.a.taskMeanMs)})`, target: '< 5 ms', met: by.a.taskMs < 5 })
  if (by.b) rows.push({ label: '(b) peak controller memory of pgha', measured: fmtKb(by.b.pghaPeakKb), target: '< 200 MB', met: by.b.pghaPeakKb < 200 * 1024 })
  if (by.c) rows.push({ label: '(c) converged site.yml re-run on 2 nodes, process start included', measured: fmtMs(by.c.pghaMs), target: '< 0.6 s', met: by.c.pghaMs < 600 })
  return rows
}

/**
 * @param {{ date: string, environment: Record<string, string>, results: ScenarioResult[], notes: string[] }} o
 * @returns {string}
 */
export function reportMarkdown(o) {
  const lines = [`# pgha vs ansible-playbook, ${o.date}`, '', 'Produced by `npm run bench` (bench/run.js). Wall time of whole processes, start to exit, tools alternating',
    'which goes first each round after one unmeasured warm-up run each; medians over the rounds. Peak memory is',
    'the largest resident set /usr/bin/time saw (for Ansible: its biggest single process). "Mitogen" is',
    'ansible-playbook with Debian\'s ansible-mitogen, strategy mitogen_linear. Load is the 1-minute load average',
    'when each run started, lowest to highest over the scenario\'s runs. CPU is the controller\'s (user + system,',
    'the process and its children): the nodes\' side, which shares the same CPUs on the lab, is not in it.', '']
  lines.push('## Environment', '')
  for (const [k, v] of Object.entries(o.environment)) lines.push(`- ${k}: ${v}`)
  lines.push('', '## Results', '', '| scenario | hosts | forks | tasks | rounds | load | pgha median (CPU) | ansible-playbook median (CPU) | ansible / pgha | Mitogen median (CPU) | Mitogen / pgha | pgha peak RSS | changed (pgha / ansible / Mitogen) |', '|---|---|---|---|---|---|---|---|---|---|---|---|---|')
  for (const r of o.results) {
    const s = summarize(r)
    const mitogen = r.runs.mitogen ? [`${fmtMs(s.mitogenMs)} (${fmtMs(s.mitogenCpuMs)})`, `${s.mitogenSpeedup.toFixed(1)}x`] : ['not run', '']
    lines.push(`| (${r.key}) ${r.title} | ${r.hosts} | ${r.forks} | ${r.tasks} | ${r.runs.pgha.length} | ${s.loadMin.toFixed(1)}-${s.loadMax.toFixed(1)} | ${fmtMs(s.pghaMs)} (${fmtMs(s.pghaCpuMs)}) | ${fmtMs(s.ansibleMs)} (${fmtMs(s.ansibleCpuMs)}) | ${s.speedup.toFixed(1)}x | ${mitogen.join(' | ')} | ${fmtKb(s.pghaPeakKb)} | ${s.pghaChanged} / ${s.ansibleChanged} / ${r.runs.mitogen ? s.mitogenChanged : '-'} |`)
  }
  lines.push('', '## Targets', '', '| target | measured | wanted | met |', '|---|---|---|---|')
  for (const t of targets(o.results)) lines.push(`| ${t.label} | ${t.measured} | ${t.target} | ${t.met ? 'yes' : '**no**'} |`)
  lines.push('', '## Every round', '')
  for (const r of o.results) {
    lines.push(`(${r.key}) pgha: ${r.runs.pgha.map((x) => fmtMs(x.wallMs)).join(', ')}  `)
    lines.push(`(${r.key}) ansible-playbook: ${r.runs.ansible.map((x) => fmtMs(x.wallMs)).join(', ')}  `)
    if (r.runs.mitogen) lines.push(`(${r.key}) Mitogen: ${r.runs.mitogen.map((x) => fmtMs(x.wallMs)).join(', ')}  `)
    lines.push(`(${r.key}) load when pgha started: ${r.runs.pgha.map((x) => x.load.toFixed(1)).join(', ')}`, '')
  }
  if (o.notes.length) lines.push('## Notes', '', ...o.notes.map((n) => `- ${n}`), '')
  return lines.join('\n')
}
