#!/usr/bin/env node
// `node bench/ab.js --before DIR [--after DIR] [--instance N --wide-instance M --rounds R --only a,b,c]
// [--labels before,after] [--out FILE] [--resume FILE.json]`:
// two builds of pgha (each a checkout with `npm run build` done) on the bench's workloads, alternating, to
// tell whether a change made pgha slower. (a) the file workload on 2 nodes, (b) the same on --wide-hosts
// nodes, (c) a converged site.yml on the 2-node cluster, (m) the mixed workload on 2 nodes (only when
// asked: `--only m`). The lab, and the cluster (c) runs against, are
// brought up by this checkout's pgha; both builds run the same playbook files (this checkout's for (c)),
// so only the code differs. --after defaults to this checkout. Ansible is not run.
// Writes bench/results/<date>-ab.md (-ab-<scenarios> for a partial run), or --out. With --resume, the
// rounds measured are also kept in that JSON file as they complete, and a later run with the same builds
// goes on from them (a comparison outlives a lab lost too often, or an interrupted run).
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { abMarkdown, abSummaryLine } from './lib/ab-report.js'
import { labDown, labIntact, labUp, pghaSetup, waitForFreeInstance } from './lib/lab.js'
import { alternate } from './lib/scenario.js'
import { readShared, sharedOptions } from './lib/options.js'
import { median } from './lib/stats.js'
import { pghaInvocation } from './lib/tools.js'
import { writeWorkload } from './lib/workload.js'
import { writeMixed } from './lib/mixed.js'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const log = (m) => process.stdout.write(`ab: ${m}\n`)

const { values: flags } = parseArgs({
  options: {
    before: { type: 'string' },
    after: { type: 'string', default: root },
    ...sharedOptions(15),
    labels: { type: 'string', default: 'before,after' },
    out: { type: 'string' },
    resume: { type: 'string' },
  },
})
if (!flags.before) {
  process.stderr.write('usage: node bench/ab.js --before DIR [--after DIR] [--instance N] [--wide-instance M] [--rounds R] [--only a,b,c] [--wide-hosts N] [--keep-lab] [--labels A,B] [--out FILE] [--resume FILE.json]\n')
  process.exit(1)
}
const { instance, wideInstance, rounds, wideHosts, only } = readShared(flags)

/** A build to compare: its checkout, and the commit it was built from (`+` when the work tree differs). */
function build(label, dir) {
  const at = resolve(dir)
  if (!existsSync(join(at, 'dist', 'pgha.cjs'))) throw new Error(`${at} is not built: run \`npm run build\` there first`)
  const git = (...args) => execFileSync('git', ['-C', at, ...args], { encoding: 'utf8' }).trim()
  const code = ['src', 'bin', 'scripts', 'package.json', 'package-lock.json']
  const dirty = git('status', '--porcelain', '--', ...code) ? ', with uncommitted changes' : ''
  const head = git('log', '-1', '--format=%h %s').slice(0, 100)
  // Commits after the last one that touched the code (a bench script, the docs) change nothing measured.
  const last = git('log', '-1', '--format=%h', '--', ...code)
  const since = head.startsWith(last) ? '' : ` (code as of ${last})`
  return { label, dir: at, commit: `${head}${since}${dirty}` }
}

const [beforeLabel, afterLabel] = flags.labels.split(',')
const builds = /** @type {const} */ ([build(beforeLabel, flags.before), build(afterLabel ?? 'after', flags.after)])
const work = join(tmpdir(), `pgha-ab-${process.pid}`)
const started = Date.now()
const date = new Date().toISOString().slice(0, 10)
const part = only.size === 3 ? '' : `-${[...only].sort().join('')}`
const file = flags.out ? resolve(flags.out) : join(root, 'bench', 'results', `${date}-ab${part}.md`)
const environment = {
  controller: `${cpus().length} CPU(s) ${cpus()[0]?.model ?? ''}, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} at start`,
  node: process.version,
  'lab instances': `${instance} (2 nodes)${only.has('b') ? `, ${wideInstance} (${wideHosts} nodes)` : ''}`,
}
const results = []

/**
 * The rounds kept by an earlier run with --resume, by scenario, when it compared the same builds.
 * @type {{ builds: { label: string, commit: string }[], elapsedMs: number, runs: Record<string, Record<string, import('./lib/scenario.js').RunStats[]>> }}
 */
const kept = (() => {
  const fresh = { builds: builds.map((b) => ({ label: b.label, commit: b.commit })), elapsedMs: 0, runs: {} }
  if (!flags.resume || !existsSync(flags.resume)) return fresh
  const saved = JSON.parse(readFileSync(flags.resume, 'utf8'))
  const same = JSON.stringify(saved.builds) === JSON.stringify(fresh.builds)
  if (!same) throw new Error(`${flags.resume} compared other builds (${saved.builds.map((b) => `${b.label}: ${b.commit}`).join('; ')}): remove it or name another file`)
  log(`resuming from ${flags.resume}: ${Object.entries(saved.runs).map(([k, r]) => `(${k}) ${r[builds[0].label].length} round(s)`).join(', ')}`)
  return saved
})()

/** Keeps the rounds measured so far in the --resume file. */
function keep() {
  if (!flags.resume) return
  writeFileSync(flags.resume, JSON.stringify({ ...kept, elapsedMs: kept.elapsedMs + Date.now() - started }))
}

/** The report of the scenarios done so far: written after each one, so a lab lost later keeps them. */
function writeReport() {
  const loads = results.flatMap((r) => Object.values(r.runs).flat().map((s) => s.load))
  const env = {
    ...environment,
    'load average during the measured runs': `1-minute load ${Math.min(...loads).toFixed(1)} to ${Math.max(...loads).toFixed(1)}, median ${median(loads).toFixed(1)}`,
    'wall time of the comparison': `${((kept.elapsedMs + Date.now() - started) / 1000).toFixed(0)} s${kept.elapsedMs ? ' (resumed)' : ''}`,
  }
  const notes = []
  for (const r of results) {
    for (const b of builds) {
      const changed = Math.max(...r.runs[b.label].map((s) => s.changed))
      if (changed) notes.push(`(${r.key}) not fully converged for ${b.label}: changed up to ${changed} per run.`)
    }
  }
  const sorted = [...results].sort((x, y) => x.key.localeCompare(y.key))
  writeFileSync(file, abMarkdown({ date, environment: env, builds: [...builds], results: sorted, notes }))
}

/** How many times a scenario brings its lab back after losing it before giving up (a busy shared machine
 * where a test suite takes the instance over every few minutes has needed several). */
const LAB_LOSSES = 10
const used = new Set()

/**
 * Both builds on one playbook, `rounds` rounds. The lab instance may be taken over while the scenario
 * runs (a test that uses the same instance): then the runs fail, the rounds measured so far are kept, and
 * once the instance is free again the lab is brought back (`prepare` run again) and the rounds go on.
 * Each round compares two runs seconds apart, so a round is as good before the loss as after it.
 * @param {{ key: string, title: string, instance: number, hosts: number, forks: number, playbook: string, cwd: string,
 *           prepare?: (inventory: string) => Promise<unknown> }} s
 */
async function compare(s) {
  log(`(${s.key}) ${s.title}: ${s.hosts} hosts, forks ${s.forks}, ${rounds} rounds, lab instance ${s.instance}`)
  const runs = kept.runs[s.key] ?? Object.fromEntries(builds.map((b) => [b.label, []]))
  kept.runs[s.key] = runs
  for (let losses = 0; runs[builds[0].label].length < rounds; losses++) {
    try {
      used.add(s.instance)
      log(`lab instance ${s.instance}: up with ${s.hosts} node(s)`)
      const inventory = await labUp(root, s.instance, s.hosts)
      await s.prepare?.(inventory)
      const contenders = Object.fromEntries(builds.map((b) => [b.label, { ...pghaInvocation({ root: b.dir, playbook: s.playbook, inventory, forks: s.forks }), output: 'pgha-json' }]))
      await alternate({ contenders, rounds: rounds - runs[builds[0].label].length, cwd: s.cwd, log, runs })
    } catch (err) {
      keep()
      if (losses + 1 >= LAB_LOSSES || await labIntact(root, s.instance, s.hosts)) throw err
      log(`(${s.key}) failed with ${runs[builds[0].label].length} round(s) done: ${String(err instanceof Error ? err.message : err).split('\n').slice(0, 3).join(' / ')}`)
      await waitForFreeInstance(root, s.instance, log)
    }
  }
  keep()
  const result = { key: s.key, title: s.title, hosts: s.hosts, forks: s.forks, runs }
  results.push(result)
  writeReport()
  log(abSummaryLine(result, builds.map((b) => b.label)))
}

/** @param {'a' | 'b'} key @param {number} inst @param {number} hosts @param {number} forks */
function fileWorkload(key, inst, hosts, forks) {
  const dir = join(work, key)
  return compare({ key, title: 'file workload, idempotent re-run', instance: inst, hosts, forks, playbook: writeWorkload(dir), cwd: dir })
}

/** The mixed workload on the 2 nodes; the warm-up runs converge it. */
function mixedWorkload() {
  const dir = join(work, 'm')
  return compare({ key: 'm', title: 'mixed workload, idempotent re-run', instance, hosts: 2, forks: 10, playbook: writeMixed(dir), cwd: dir })
}

function siteYml() {
  const playbook = join(root, 'playbooks', 'site.yml')
  const prepare = (inventory) => {
    log('(c) converged site.yml: building the cluster first (minutes on a fresh lab)')
    return pghaSetup(root, instance, playbook, inventory, 10)
  }
  return compare({ key: 'c', title: 'converged site.yml (2-node cluster)', instance, hosts: 2, forks: 10, playbook, cwd: root, prepare })
}

async function main() {
  if (!existsSync('/usr/bin/time')) throw new Error('/usr/bin/time is missing: apt-get install time')
  mkdirSync(work, { recursive: true })
  try {
    if (only.has('a')) await fileWorkload('a', instance, 2, 10)
    if (only.has('c')) await siteYml()
    if (only.has('m')) await mixedWorkload()
    // The wide lab replaces the 2-node one when both use the same instance.
    if (only.has('b') && wideInstance === instance && used.has(instance)) await labDown(root, instance)
    if (only.has('b')) await fileWorkload('b', wideInstance, wideHosts, 20)
  } finally {
    rmSync(work, { recursive: true, force: true })
    // Instance 0 is the user's own lab: left up. Others were brought up for the comparison.
    for (const inst of used) {
      if (inst !== 0 && !flags['keep-lab']) {
        log(`lab instance ${inst}: down`)
        await labDown(root, inst).catch((err) => log(`lab instance ${inst}: ${err.message}`))
      }
    }
    if (results.length) log(`results in ${file}`)
  }
}

main().catch((err) => {
  process.stderr.write(`ab: ${err instanceof Error ? err.message : String(err)}\n`)
  process.exitCode = 1
})
