// bench/results/<date>-ab.md: two pgha builds on the same workloads, medians of wall and CPU time per
// build and the round-by-round comparison that tells a change from the machine's noise.
import { fmtKb, fmtMs, fmtPct, median, paired } from './stats.js'

/**
 * @typedef {import('./scenario.js').RunStats} RunStats
 * @typedef {{ key: string, title: string, hosts: number, forks: number, runs: Record<string, RunStats[]> }} AbResult
 * @typedef {{ label: string, dir: string, commit: string }} Build
 */

/** @param {RunStats[]} runs @param {'wallMs' | 'cpuMs'} field */
const med = (runs, field) => median(runs.map((r) => r[field]))

/**
 * One row per scenario for one measure: both medians and the paired comparison.
 * @param {AbResult[]} results @param {[Build, Build]} builds @param {'wallMs' | 'cpuMs'} field @returns {string[]}
 */
function table(results, builds, field) {
  const [a, b] = builds.map((x) => x.label)
  const lines = [`| scenario | rounds | ${a} median | ${b} median | ${b} - ${a}, median over rounds | ${b} higher in | sign test p |`, '|---|---|---|---|---|---|---|']
  for (const r of results) {
    const x = r.runs[a].map((s) => s[field])
    const y = r.runs[b].map((s) => s[field])
    const p = paired(x, y)
    lines.push(`| (${r.key}) ${r.title} | ${x.length} | ${fmtMs(median(x))} | ${fmtMs(median(y))} | ${fmtMs(p.medianDelta)} (${fmtPct(p.relative)}) | ${p.slower} of ${p.slower + p.faster} | ${p.p.toFixed(2)} |`)
  }
  return lines
}

/**
 * @param {{ date: string, environment: Record<string, string>, builds: [Build, Build], results: AbResult[], notes: string[] }} o
 * @returns {string}
 */
export function abMarkdown(o) {
  const [a, b] = o.builds.map((x) => x.label)
  const lines = [`# pgha ${a} and ${b}, ${o.date}`, '',
    'Produced by `node bench/ab.js` (compare two builds). Both builds run the same playbook against the same lab,',
    'alternating which goes first each round after one unmeasured warm-up run each. Wall time is the whole',
    'process, start to exit; CPU time is its user + system time from /usr/bin/time (1/100 s resolution), which',
    'moves far less with the load of a shared machine. "median over rounds" is the median of each round\'s',
    `${b} - ${a} difference (the two runs of a round are seconds apart); the sign test asks how likely a split of`,
    'the rounds at least this uneven would be if neither build were faster.', '', '## Builds', '']
  for (const x of o.builds) lines.push(`- ${x.label}: ${x.commit} (${x.dir})`)
  lines.push('', '## Environment', '')
  for (const [k, v] of Object.entries(o.environment)) lines.push(`- ${k}: ${v}`)
  lines.push('', '## Wall time', '', ...table(o.results, o.builds, 'wallMs'))
  lines.push('', '## CPU time of the pgha process (user + system)', '', ...table(o.results, o.builds, 'cpuMs'))
  lines.push('', '## Peak memory and convergence', '', `| scenario | hosts | forks | ${a} peak RSS | ${b} peak RSS | changed (${a} / ${b}) |`, '|---|---|---|---|---|---|')
  for (const r of o.results) {
    const peak = (l) => fmtKb(Math.max(...r.runs[l].map((s) => s.peakRssKb)))
    const changed = (l) => Math.max(...r.runs[l].map((s) => s.changed))
    lines.push(`| (${r.key}) ${r.title} | ${r.hosts} | ${r.forks} | ${peak(a)} | ${peak(b)} | ${changed(a)} / ${changed(b)} |`)
  }
  lines.push('', '## Every round', '', `Wall and CPU time of each build, and the 1-minute load average when the ${a} run started.`, '')
  for (const r of o.results) {
    lines.push(`(${r.key}) ${r.title}:`, '')
    lines.push(`| round | ${a} wall | ${a} CPU | ${b} wall | ${b} CPU | load |`, '|---|---|---|---|---|---|')
    r.runs[a].forEach((x, i) => {
      const y = r.runs[b][i]
      lines.push(`| ${i + 1} | ${fmtMs(x.wallMs)} | ${fmtMs(x.cpuMs)} | ${fmtMs(y.wallMs)} | ${fmtMs(y.cpuMs)} | ${x.load.toFixed(1)} |`)
    })
    lines.push('')
  }
  if (o.notes.length) lines.push('## Notes', '', ...o.notes.map((n) => `- ${n}`), '')
  return lines.join('\n')
}

/** The median wall and CPU time of each build, for the console. @param {AbResult} r @param {string[]} labels */
export function abSummaryLine(r, labels) {
  return `(${r.key}) ${labels.map((l) => `${l} wall ${fmtMs(med(r.runs[l], 'wallMs'))} cpu ${fmtMs(med(r.runs[l], 'cpuMs'))}`).join(', ')}`
}
