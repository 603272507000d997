// `npm run bench -- hosts [--hosts 2,20,200,1000] [--forks N] [--rounds R] [--ansible-hosts 20] [--ansible-timeout S]
// [--before DIR [--labels before,after]] [--out FILE]`:
// the file workload, converged, on many hosts: distinct loopback addresses of one sshd in a private network
// namespace (bench/lib/hosts-env.js), logging in as a plain user whose shell is `sh`. For each host count,
// pgha's wall time, CPU time (user + system of its process) and peak memory, with the load; at
// --ansible-hosts, ansible-playbook and ansible-playbook with Mitogen once each beside it (minutes per run),
// cut off after --ansible-timeout seconds. Forks default to the host count: every host at once, the
// setting that once made every connect time out. With --before, another checkout's build (`npm run build`
// done there) runs too, alternating with this one round by round (ABBA), so that a change is judged on the
// same hosts under the same load. The hosts' side (sshd and every session it reaped) is measured too: it
// shares the controller's CPUs. Writes bench/results/<date>-hosts.md, or --out.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { hostsUp, HOSTS_BENCH_DIR } from './lib/hosts-env.js'
import { measure } from './lib/measure.js'
import { fmtKb, fmtMs, median } from './lib/stats.js'
import { ansibleInvocation, parseAnsibleRecap, parsePghaJson, pghaFailures, pghaInvocation, total } from './lib/tools.js'
import { workloadTasks, writeWorkload } from './lib/workload.js'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const log = (m) => process.stdout.write(`bench hosts: ${m}\n`)
const MITOGEN_STRATEGIES = '/usr/lib/python3/dist-packages/ansible_mitogen/plugins/strategy'

/**
 * @typedef {{ wallMs: number, cpuMs: number, peakRssKb: number, changed: number, failed: number, unreachable: number,
 *             loadBefore: number, loadAfter: number, timedOut?: boolean, hostsCpuMs?: number }} HostsRun
 * @typedef {{ tool: string, hosts: number, forks: number, runs: HostsRun[] }} HostsResult
 */

/** @param {string[]} argv */
function options(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      hosts: { type: 'string', default: '2,20,200,1000' },
      forks: { type: 'string' },
      rounds: { type: 'string', default: '3' },
      'ansible-hosts': { type: 'string', default: '20' },
      'ansible-timeout': { type: 'string', default: '900' },
      'max-startups': { type: 'string', default: '1000:30:1000' },
      before: { type: 'string' },
      labels: { type: 'string', default: 'before,after' },
      out: { type: 'string' },
    },
  })
  const counts = values.hosts.split(',').map(Number)
  if (counts.some((n) => !Number.isInteger(n) || n < 1 || n > 1000)) throw new Error(`--hosts: host counts from 1 to 1000, got ${values.hosts}`)
  return {
    counts,
    forks: values.forks === undefined ? undefined : Number(values.forks),
    rounds: Number(values.rounds),
    ansibleHosts: Number(values['ansible-hosts']),
    ansibleTimeoutS: Number(values['ansible-timeout']),
    maxStartups: values['max-startups'],
    before: values.before === undefined ? undefined : resolve(values.before),
    labels: values.labels.split(','),
    out: values.out,
  }
}

/**
 * One measured run inside the namespace; a pgha run that fails ends the bench with what failed.
 * @param {{ cmd: string, args: string[], env: NodeJS.ProcessEnv }} inv @param {'pgha' | 'ansible'} output
 * @param {(cmd: string, args: string[]) => { cmd: string, args: string[] }} nsCommand @param {string} cwd @param {number} [timeoutS]
 * @returns {Promise<HostsRun>}
 */
async function once(inv, output, nsCommand, cwd, timeoutS) {
  const inner = nsCommand(inv.cmd, inv.args)
  const cmd = timeoutS ? { cmd: 'timeout', args: [String(timeoutS), inner.cmd, ...inner.args] } : inner
  const loadBefore = loadavg()[0]
  const m = await measure(cmd.cmd, cmd.args, { env: inv.env, cwd })
  const base = { wallMs: m.wallMs, cpuMs: m.cpuMs, peakRssKb: m.peakRssKb, loadBefore, loadAfter: loadavg()[0] }
  if (timeoutS && m.code === 124) return { ...base, changed: NaN, failed: NaN, unreachable: NaN, timedOut: true }
  if (output === 'pgha') {
    if (m.code !== 0) throw new Error(`pgha exited ${m.code}:\n${pghaFailures(m.stdout).slice(0, 20).join('\n') || (m.stdout + m.stderr).slice(-3000)}`)
    const recap = parsePghaJson(m.stdout).recap
    return { ...base, changed: total(recap, 'changed'), failed: total(recap, 'failed'), unreachable: total(recap, 'unreachable') }
  }
  const recap = parseAnsibleRecap(m.stdout)
  if (m.code !== 0) log(`  ansible-playbook exited ${m.code}: ${(m.stdout + m.stderr).slice(-600)}`)
  return { ...base, changed: total(recap, 'changed'), failed: total(recap, 'failed'), unreachable: total(recap, 'unreachable') }
}

const said = (r) => r.timedOut ? `cut off after ${fmtMs(r.wallMs)}` : `${fmtMs(r.wallMs)}, cpu ${fmtMs(r.cpuMs)}, ${fmtKb(r.peakRssKb)}, hosts' side cpu ${fmtMs(r.hostsCpuMs ?? NaN)}, changed ${r.changed}, unreachable ${r.unreachable}, load ${r.loadBefore.toFixed(1)}`

/**
 * A measured run with the hosts' side CPU it caused (sshd's reaped sessions; the last ones are reaped
 * within a moment of pgha's exit).
 * @param {() => Promise<HostsRun>} run @param {() => number} sshdCpuMs @returns {Promise<HostsRun>}
 */
async function withHostsCpu(run, sshdCpuMs) {
  const before = sshdCpuMs()
  const r = await run()
  await new Promise((res) => setTimeout(res, 500))
  return { ...r, hostsCpuMs: sshdCpuMs() - before }
}

/**
 * @param {string[]} argv the arguments after `hosts`
 * @returns {Promise<number>} the exit code
 */
export async function main(argv) {
  const o = options(argv)
  if (process.getuid?.() !== 0) throw new Error('the many-hosts bench creates a network namespace and a system user: run it as root')
  if (!existsSync(join(root, 'dist', 'pgha.cjs'))) throw new Error('pgha is not built: run `npm run build` first')
  if (o.before && !existsSync(join(o.before, 'dist', 'pgha.cjs'))) throw new Error(`${o.before} is not built: run \`npm run build\` there first`)
  /** The builds measured: this checkout, and with --before the other one, each with its label. */
  const builds = o.before ? [{ tool: `pgha ${o.labels[0]}`, root: o.before }, { tool: `pgha ${o.labels[1] ?? 'after'}`, root }] : [{ tool: 'pgha', root }]
  const work = join(tmpdir(), `pgha-bench-hosts-${process.pid}`)
  const env = await hostsUp({ dir: join(work, 'env'), maxStartups: o.maxStartups, log })
  /** @type {HostsResult[]} */
  const results = []
  const started = Date.now()
  const environment = {
    controller: `${cpus().length} CPU(s) ${cpus()[0]?.model ?? ''}, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} at start`,
    node: process.version,
    'open files (ulimit -n)': execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim(),
    hosts: `127.0.X.Y of one sshd (${spawnSync('sshd', ['-V'], { encoding: 'utf8' }).stderr.trim().split(',')[0]}) in network namespace ${env.ns}, MaxStartups ${o.maxStartups}, login user with shell sh`,
  }
  try {
    const dir = join(work, 'workload')
    const playbook = writeWorkload(dir)
    const extra = ['-e', JSON.stringify({ bench_dir: HOSTS_BENCH_DIR })]
    for (const hosts of o.counts) {
      const inventory = env.inventory(hosts)
      const forks = o.forks ?? hosts
      const invocations = builds.map((b) => {
        const inv = pghaInvocation({ root: b.root, playbook, inventory, forks })
        inv.args.push(...extra)
        return inv
      })
      const pgha = invocations[invocations.length - 1]
      log(`${hosts} hosts, forks ${forks}: converging (not measured)`)
      const first = await once(pgha, 'pgha', env.nsCommand, dir)
      log(`  first run: ${said(first)}`)
      /** @type {HostsResult[]} */
      const measured = builds.map((b) => ({ tool: b.tool, hosts, forks, runs: [] }))
      for (let r = 0; r < o.rounds; r++) {
        // ABBA: neither build always runs first, on a machine whose load drifts.
        const order = builds.map((_, i) => i)
        if (r % 2 === 1) order.reverse()
        for (const i of order) {
          const run = await withHostsCpu(() => once(invocations[i], 'pgha', env.nsCommand, dir), env.sshdCpuMs)
          measured[i].runs.push(run)
          log(`  round ${r + 1}/${o.rounds}${builds.length > 1 ? ` ${builds[i].tool}` : ''}: ${said(run)}`)
        }
      }
      results.push(...measured)
      if (hosts !== o.ansibleHosts) continue
      const base = ansibleInvocation({ playbook, inventory, forks, workDir: join(work, 'ansible') })
      const contenders = {
        'ansible-playbook': base,
        'ansible + Mitogen': existsSync(MITOGEN_STRATEGIES)
          ? { ...base, env: { ...base.env, ANSIBLE_STRATEGY_PLUGINS: MITOGEN_STRATEGIES, ANSIBLE_STRATEGY: 'mitogen_linear' } }
          : undefined,
      }
      for (const [tool, inv] of Object.entries(contenders)) {
        if (!inv) continue
        inv.args.push(...extra)
        log(`  ${tool}, ${hosts} hosts, forks ${forks}, once (cut off after ${o.ansibleTimeoutS} s)`)
        const run = await once(inv, 'ansible', env.nsCommand, dir, o.ansibleTimeoutS)
        log(`  ${tool}: ${said(run)}`)
        results.push({ tool, hosts, forks, runs: [run] })
      }
    }
  } finally {
    env.close()
    rmSync(work, { recursive: true, force: true })
  }
  environment['bench wall time'] = `${((Date.now() - started) / 1000).toFixed(0)} s`
  for (const b of builds) environment[b.tool] = buildSaid(b.root)
  const date = new Date().toISOString().slice(0, 10)
  const file = o.out ? resolve(o.out) : join(root, 'bench', 'results', `${date}-hosts.md`)
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, hostsReport({ date, environment, results, tasks: workloadTasks().length }))
  log(`results in ${file}`)
  return 0
}

/** The commit a checkout's build comes from, and whether its code differs from it. @param {string} dir */
function buildSaid(dir) {
  const git = (...args) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
  try {
    const dirty = git('status', '--porcelain', '--', 'src', 'bin', 'scripts') ? ', with uncommitted changes' : ''
    return `${dir}: ${git('log', '-1', '--format=%h %s').slice(0, 100)}${dirty}`
  } catch {
    return dir
  }
}

/**
 * @param {{ date: string, environment: Record<string, string>, results: HostsResult[], tasks: number }} o
 * @returns {string}
 */
export function hostsReport(o) {
  const lines = [`# Many hosts: the file workload converged, ${o.date}`, '',
    `Produced by \`npm run bench -- hosts\` (bench/hosts.js): ${o.tasks} file/lineinfile/copy/template tasks on every host, a`,
    'converged re-run (a first run, not measured, converges the hosts). Wall time, CPU time (user + system) and peak',
    'resident memory of the controller process, medians over the rounds (memory: the largest); the hosts\' sshd and',
    'shells run on the same CPUs: their CPU time (sshd and every session it reaped) is the hosts\' side column. Load: the',
    '1-minute load average at the start of each measured run.', '', '## Environment', '']
  for (const [k, v] of Object.entries(o.environment)) lines.push(`- ${k}: ${v}`)
  lines.push('', '## Results', '',
    '| tool | hosts | forks | rounds | wall | CPU | peak RSS | wall per host | CPU per host | hosts\' side CPU | changed / unreachable | load |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|')
  for (const r of o.results) {
    const wall = median(r.runs.map((x) => x.wallMs))
    const cpu = median(r.runs.map((x) => x.cpuMs))
    const rss = Math.max(...r.runs.map((x) => x.peakRssKb))
    const loads = r.runs.map((x) => x.loadBefore)
    const cut = r.runs.some((x) => x.timedOut)
    lines.push(`| ${r.tool} | ${r.hosts} | ${r.forks} | ${r.runs.length} | ${cut ? `> ${fmtMs(wall)} (cut off)` : fmtMs(wall)} | ${fmtMs(cpu)} | ${fmtKb(rss)} | ` +
      `${fmtMs(wall / r.hosts)} | ${fmtMs(cpu / r.hosts)} | ${fmtMs(median(r.runs.map((x) => x.hostsCpuMs ?? NaN)))} | ${Math.max(...r.runs.map((x) => x.changed))} / ${Math.max(...r.runs.map((x) => x.unreachable))} | ` +
      `${Math.min(...loads).toFixed(1)}-${Math.max(...loads).toFixed(1)} |`)
  }
  lines.push('', '## Every run', '')
  for (const r of o.results) {
    lines.push(`- ${r.tool}, ${r.hosts} hosts: ${r.runs.map((x) => `${fmtMs(x.wallMs)} (cpu ${fmtMs(x.cpuMs)}, ${fmtKb(x.peakRssKb)}, hosts' side ${fmtMs(x.hostsCpuMs ?? NaN)}, load ${x.loadBefore.toFixed(1)} -> ${x.loadAfter.toFixed(1)})`).join(', ')}`)
  }
  lines.push('')
  return lines.join('\n')
}
