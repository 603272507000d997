#!/usr/bin/env node
// `npm run bench:fresh [-- --instance N --rounds R --keep-lab]`: a fresh playbooks/site.yml on two
// pristine lab nodes, pgha against ansible-playbook running bench/ansible/site.yml. Before every run both
// nodes go back to the lab's image (`lab reset`) and get python3 for Ansible (not measured, the same for
// both tools). pgha's repmgr build cache starts empty in a directory of this run: pgha's first run builds
// repmgr and fills it (reported on its own, "cold"), the measured runs are re-images with the cache
// filled. Rounds alternate which tool goes first. Writes bench/results/<date>-fresh.md.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { labDown, labUp, nodeNames, pgha, pghaSetup, pythonAptDebs } from './lib/lab.js'
import { measure } from './lib/measure.js'
import { ansibleTaskTimes, byPhase, pghaTaskTimes } from './lib/phases.js'
import { median, speedup } from './lib/stats.js'
import { ansibleInvocation, parseAnsibleRecap, parsePghaJson, pghaFailures, pghaInvocation, total } from './lib/tools.js'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const log = (m) => process.stdout.write(`bench-fresh: ${m}\n`)

const { values: flags } = parseArgs({
  options: {
    instance: { type: 'string', default: process.env.PGHA_LAB_INSTANCE ?? '0' },
    rounds: { type: 'string', default: '2' },
    'keep-lab': { type: 'boolean', default: false },
    // Another translation of site.yml to compare with (a directory holding site.yml).
    'ansible-dir': { type: 'string', default: join(resolve(dirname(fileURLToPath(import.meta.url))), 'ansible') },
  },
})
const instance = Number(flags.instance)
const rounds = Number(flags.rounds)
const nodes = nodeNames(2)

/**
 * @typedef {{ tool: string, label: string, wallMs: number, cpuMs: number, loadStart: number, loadMedian: number,
 *             changed: number, phases: Record<string, number>, slowest: { task: string, s: number }[] }} FreshRun
 */

/** Both nodes back to the image, python3 on them for Ansible: the same start for both tools. */
async function pristine(inventory) {
  await pgha(root, instance, ['lab', 'reset', nodes.join(',')])
  await pghaSetup(root, instance, join(root, 'bench', 'playbooks', 'python3.yml'), inventory, 10, { bench_debs: pythonAptDebs() })
}

/** One measured run of `inv`, the 1-minute load sampled every 5 s while it runs. */
async function measured(inv, cwd) {
  const loads = [loadavg()[0]]
  const sampler = setInterval(() => loads.push(loadavg()[0]), 5000)
  try {
    const m = await measure(inv.cmd, inv.args, { env: inv.env, cwd })
    return { m, loadStart: loads[0], loadMedian: median(loads) }
  } finally {
    clearInterval(sampler)
  }
}

/** @returns {Promise<FreshRun>} */
async function freshPgha(inventory, cacheDir, label) {
  await pristine(inventory)
  const inv = pghaInvocation({ root, playbook: join(root, 'playbooks', 'site.yml'), inventory, forks: 10 })
  inv.args.push('-e', JSON.stringify({ repmgr_build_cache: cacheDir }))
  const { m, loadStart, loadMedian } = await measured(inv, root)
  if (m.code !== 0) throw new Error(`pgha exited ${m.code}:\n${pghaFailures(m.stdout).join('\n') || (m.stdout + m.stderr).slice(-4000)}`)
  const doc = parsePghaJson(m.stdout)
  const tasks = pghaTaskTimes(doc)
  return summary('pgha', label, m, loadStart, loadMedian, total(doc.recap, 'changed'), tasks)
}

/** @returns {Promise<FreshRun>} */
async function freshAnsible(inventory, workDir) {
  await pristine(inventory)
  const inv = ansibleInvocation({ playbook: join(resolve(flags['ansible-dir']), 'site.yml'), inventory, forks: 10, workDir })
  // Per-task wall time in the output (ansible.posix), for the phases; it does not change what runs.
  inv.env = { ...inv.env, ANSIBLE_CALLBACKS_ENABLED: 'ansible.posix.profile_tasks', PROFILE_TASKS_TASK_OUTPUT_LIMIT: '1000' }
  const { m, loadStart, loadMedian } = await measured(inv, root)
  if (m.code !== 0) {
    // The failed tasks (the TASK line before each fatal one), not the end of the long timing summary.
    const failed = m.stdout.split('\n').filter((l, i, all) => /^(fatal|failed):/.test(l) || /^(fatal|failed):/.test(all[i + 1] ?? ''))
    throw new Error(`ansible-playbook exited ${m.code}:\n${failed.join('\n').slice(0, 4000) || (m.stdout + m.stderr).slice(-4000)}`)
  }
  return summary('ansible', 'ansible-playbook', m, loadStart, loadMedian, total(parseAnsibleRecap(m.stdout), 'changed'), ansibleTaskTimes(m.stdout))
}

function summary(tool, label, m, loadStart, loadMedian, changed, tasks) {
  const slowest = [...tasks].sort((a, b) => b.s - a.s).slice(0, 6)
  const run = { tool, label, wallMs: m.wallMs, cpuMs: m.cpuMs, loadStart, loadMedian, changed, phases: byPhase(tasks), slowest }
  log(`  ${label}: ${(m.wallMs / 1000).toFixed(1)} s (load ${loadStart.toFixed(1)} at start, median ${loadMedian.toFixed(1)}), changed ${changed}`)
  return run
}

const sec = (ms) => `${(ms / 1000).toFixed(1)} s`

/** @param {FreshRun[]} runs @param {Record<string, string>} environment */
function report(runs, environment, date) {
  const measuredRuns = runs.filter((r) => r.label !== 'pgha (cold)')
  const pghaMs = median(measuredRuns.filter((r) => r.tool === 'pgha').map((r) => r.wallMs))
  const ansibleMs = median(measuredRuns.filter((r) => r.tool === 'ansible').map((r) => r.wallMs))
  const cold = runs.find((r) => r.label === 'pgha (cold)')
  const lines = [`# Fresh site.yml on two pristine lab nodes, ${date}`, '']
  for (const [k, v] of Object.entries(environment)) lines.push(`- ${k}: ${v}`)
  lines.push('', '| tool | wall (median) | vs ansible-playbook |', '|---|---|---|')
  lines.push(`| pgha, repmgr from its build cache (a re-image) | ${sec(pghaMs)} | ${speedup(pghaMs, ansibleMs).toFixed(2)}x |`)
  if (cold) lines.push(`| pgha, first run (repmgr built, cache filled; one run) | ${sec(cold.wallMs)} | ${speedup(cold.wallMs, ansibleMs).toFixed(2)}x (other load) |`)
  lines.push(`| ansible-playbook (bench/ansible/site.yml) | ${sec(ansibleMs)} | 1x |`, '')
  lines.push('## Every run, in order', '', '| run | wall | CPU | load at start / median | changed |', '|---|---|---|---|---|')
  for (const r of runs) lines.push(`| ${r.label} | ${sec(r.wallMs)} | ${sec(r.cpuMs)} | ${r.loadStart.toFixed(1)} / ${r.loadMedian.toFixed(1)} | ${r.changed} |`)
  const phases = Object.keys(runs[0].phases)
  lines.push('', '## Seconds by phase (slowest host of each task, summed)', '', `| run | ${phases.join(' | ')} |`, `|---|${phases.map(() => '---').join('|')}|`)
  for (const r of runs) lines.push(`| ${r.label} | ${phases.map((p) => r.phases[p].toFixed(1)).join(' | ')} |`)
  lines.push('', '## Slowest tasks of each run', '')
  for (const r of runs) lines.push(`- ${r.label}: ${r.slowest.map((t) => `${t.task} ${t.s.toFixed(1)} s`).join('; ')}`)
  return { text: `${lines.join('\n')}\n`, pghaMs, ansibleMs }
}

async function main() {
  if (!existsSync('/usr/bin/ansible-playbook') || !existsSync('/usr/bin/time')) throw new Error('needs ansible-playbook and /usr/bin/time (see bench/run.js)')
  if (!existsSync(join(root, 'dist', 'pgha.cjs'))) throw new Error('pgha is not built: run `npm run build` first')
  const work = mkdtempSync(join(tmpdir(), 'pgha-bench-fresh-'))
  const cacheDir = join(work, 'repmgr-builds')
  const environment = {
    controller: `${cpus().length} CPU(s) ${cpus()[0]?.model ?? ''}, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} at start`,
    'ansible-playbook': execFileSync('ansible-playbook', ['--version'], { encoding: 'utf8' }).split('\n')[0],
    'ansible settings': 'pipelining on, ssh ControlMaster/ControlPersist, interpreter /usr/bin/python3, forks 10 for both',
    command: `npm run bench:fresh -- --instance ${instance} --rounds ${rounds}`,
  }
  /** @type {FreshRun[]} */
  const runs = []
  const started = Date.now()
  log(`lab instance ${instance}: up with ${nodes.join(', ')}`)
  const inventory = await labUp(root, instance, 2)
  let failure
  try {
    // Ansible first (a translation that fails on fresh nodes shows at once), then pgha's cold run, then
    // the rounds in the order A P | P A | A P ...
    for (let r = 0; r < rounds; r++) {
      log(`round ${r + 1}/${rounds}`)
      const order = r % 2 === 0 ? ['ansible', 'pgha'] : ['pgha', 'ansible']
      for (const tool of order) {
        if (tool === 'ansible') {
          runs.push(await freshAnsible(inventory, join(work, 'ansible')))
          continue
        }
        if (!runs.some((x) => x.tool === 'pgha')) {
          log('pgha with an empty repmgr build cache (cold, not in the medians)')
          runs.push(await freshPgha(inventory, cacheDir, 'pgha (cold)'))
        }
        runs.push(await freshPgha(inventory, cacheDir, 'pgha'))
      }
    }
  } catch (err) {
    // What was measured before a failure is still written, with the failure.
    failure = err
  } finally {
    if (instance !== 0 && !flags['keep-lab']) await labDown(root, instance)
    rmSync(work, { recursive: true, force: true })
  }
  environment['bench wall time'] = `${((Date.now() - started) / 1000).toFixed(0)} s`
  const date = new Date().toISOString().slice(0, 10)
  if (failure) environment['stopped early'] = String(failure instanceof Error ? failure.message : failure).split('\n').slice(0, 6).join(' / ')
  if (!runs.some((r) => r.tool === 'ansible')) throw failure ?? new Error('no run of ansible-playbook')
  const { text, pghaMs, ansibleMs } = report(runs, environment, date)
  const file = join(root, 'bench', 'results', `${date}-fresh.md`)
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, text)
  const x = speedup(pghaMs, ansibleMs)
  log(`${x >= 1.5 ? 'met    ' : 'MISSED '} fresh site.yml: pgha ${sec(pghaMs)}, ansible-playbook ${sec(ansibleMs)}, ${x.toFixed(2)}x (target >= 1.5x)`)
  log(`results in ${file}`)
  if (failure) throw failure
}

main().catch((err) => {
  process.stderr.write(`bench-fresh: ${err instanceof Error ? err.message : String(err)}\n`)
  process.exitCode = 1
})
