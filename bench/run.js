#!/usr/bin/env node
// `npm run bench [-- --instance N --wide-instance M --rounds R --only a,b,c,m]`: pgha against ansible-playbook
// and ansible-playbook with Mitogen on the lab. (a) the file workload on 2 nodes, (b) the same on 20 nodes,
// (c) a converged site.yml on the 2-node cluster against bench/ansible/site.yml, (m) the mixed workload on
// 2 nodes. Writes bench/results/<date>.md.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { pghaSetup, pythonAptDebs, withLab } from './lib/lab.js'
import { readShared, sharedOptions } from './lib/options.js'
import { reportMarkdown, summarize, targets } from './lib/report.js'
import { runScenario } from './lib/scenario.js'
import { ansibleInvocation, MITOGEN_STRATEGIES, mitogenInvocation, pghaInvocation } from './lib/tools.js'
import { median } from './lib/stats.js'
import { workloadTasks, writeWorkload } from './lib/workload.js'
import { mixedTasks, writeMixed } from './lib/mixed.js'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const log = (m) => process.stdout.write(`bench: ${m}\n`)

// `npm run bench -- hosts [...]`: the many-hosts scenario, with options and a report of its own (bench/hosts.js).
if (process.argv[2] === 'hosts') process.exit(await (await import('./hosts.js')).main(process.argv.slice(3)))

const { values: flags } = parseArgs({
  options: {
    ...sharedOptions(5),
    only: { type: 'string', default: 'a,b,c,m' },
  },
})
const { instance, wideInstance, rounds, wideHosts, only } = readShared(flags)

/** Installs a Debian package when its command is missing (the controller's own apt). */
function ensureTool(path, pkg) {
  if (existsSync(path)) return
  log(`installing ${pkg} (apt-get)`)
  execFileSync('apt-get', ['install', '-y', pkg], { stdio: 'inherit' })
}

function prerequisites() {
  ensureTool('/usr/bin/ansible-playbook', 'ansible-core')
  ensureTool(MITOGEN_STRATEGIES, 'ansible-mitogen')
  ensureTool('/usr/bin/time', 'time')
  if (!existsSync(join(root, 'dist', 'cli', 'index.js'))) throw new Error('pgha is not built: run `npm run build` first')
}

const work = join(tmpdir(), `pgha-bench-${process.pid}`)
const notes = []
const results = []
const workloadSize = `${workloadTasks().length} file/lineinfile/copy/template`

async function fileWorkload(key, inventory, hosts, forks, title) {
  const dir = join(work, key)
  const playbook = writeWorkload(dir)
  log(`(${key}) ${title}: ${hosts} hosts, forks ${forks}`)
  const runs = await runScenario({
    pgha: pghaInvocation({ root, playbook, inventory, forks }),
    ansible: ansibleInvocation({ playbook, inventory, forks, workDir: dir }),
    // Mitogen on the 2 nodes; the many-hosts scenario is measured against ansible-playbook alone.
    mitogen: key === 'a' ? mitogenInvocation({ playbook, inventory, forks, workDir: dir }) : undefined,
    rounds, cwd: dir, log, taskModules: key === 'a' ? ['file', 'lineinfile'] : undefined,
  })
  results.push({ key, title, hosts, forks, tasks: workloadSize, runs })
}

async function mixedWorkload(inventory) {
  const dir = join(work, 'm')
  const playbook = writeMixed(dir)
  log('(m) mixed workload: 2 hosts, forks 10')
  const tools = { playbook, inventory, forks: 10, workDir: dir }
  const runs = await runScenario({
    pgha: pghaInvocation({ root, ...tools }), ansible: ansibleInvocation(tools), mitogen: mitogenInvocation(tools), rounds, cwd: dir, log,
  })
  results.push({ key: 'm', title: 'mixed workload, idempotent re-run', hosts: 2, forks: 10, tasks: `${mixedTasks().length} mixed, facts gathered`, runs })
}

async function siteYml(inventory) {
  const dir = join(work, 'c')
  mkdirSync(dir, { recursive: true })
  log('(c) converged site.yml: building the cluster with pgha first (minutes on a fresh lab)')
  await pghaSetup(root, instance, join(root, 'playbooks', 'site.yml'), inventory, 10)
  const runs = await runScenario({
    pgha: pghaInvocation({ root, playbook: join(root, 'playbooks', 'site.yml'), inventory, forks: 10 }),
    ansible: ansibleInvocation({ playbook: join(root, 'bench', 'ansible', 'site.yml'), inventory, forks: 10, workDir: dir }),
    mitogen: mitogenInvocation({ playbook: join(root, 'bench', 'ansible', 'site.yml'), inventory, forks: 10, workDir: dir }),
    rounds, cwd: root, log,
  })
  results.push({ key: 'c', title: 'converged site.yml (2-node cluster)', hosts: 2, forks: 10, tasks: 'playbooks/site.yml vs bench/ansible/site.yml', runs })
  notes.push('(c) bench/ansible/ has no community.postgresql (Debian\'s ansible-core lacks it): postgresql_user/db/query and pgha\'s repmgr_node are `shell`/`command` tasks running psql/repmgr with changed_when (see bench/ansible/README.md).')
  notes.push('(c) bench/ansible/ translates every playbook site.yml imports; it leaves out the reading of each node\'s current role (tasks/current-primary.yml) and rolling-restart.yml\'s checks, so pgha still does more work than Ansible in (c) (bench/ansible/README.md).')
}

/** The lab for one scenario, with python3-apt on the nodes for Ansible's modules. */
function withBenchLab(inst, nodes, fn) {
  const prepare = (inventory) => {
    log(`lab instance ${inst}: python3 for Ansible on the nodes`)
    return pghaSetup(root, inst, join(root, 'bench', 'playbooks', 'python3.yml'), inventory, 20, { bench_debs: pythonAptDebs() })
  }
  return withLab({ root, instance: inst, nodes, keep: flags['keep-lab'], log, prepare }, fn)
}

async function main() {
  prerequisites()
  mkdirSync(work, { recursive: true })
  const started = Date.now()
  // Both tools' wall times move with the machine's load: its range over the run goes into the report.
  const loads = [loadavg()[0]]
  const sampler = setInterval(() => loads.push(loadavg()[0]), 10_000)
  const environment = {
    controller: `${cpus().length} CPU(s) ${cpus()[0]?.model ?? ''}, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} at start`,
    node: process.version,
    'ansible-playbook': execFileSync('ansible-playbook', ['--version'], { encoding: 'utf8' }).split('\n')[0],
    'ansible settings': 'pipelining on, ssh ControlMaster/ControlPersist, interpreter /usr/bin/python3, same forks as pgha',
    'pgha settings': `its defaults, but the run server waits 120 s (PGHA_PERSIST=120) as Ansible's ControlPersist does here; it serves the runs after the warm-up; pgha's CPU includes the server's`,
    mitogen: `${execFileSync('dpkg-query', ['-W', '-f', '${Package} ${Version}', 'ansible-mitogen'], { encoding: 'utf8' })}, ANSIBLE_STRATEGY=mitogen_linear, otherwise the same settings`,
    'lab instances': `${instance} (2 nodes)${only.has('b') ? `, ${wideInstance} (${wideHosts} nodes)` : ''}`,
  }
  try {
    // One instance for everything: the wide scenario first, then the lab is rebooted with 2 nodes.
    if (only.has('b')) await withBenchLab(wideInstance, wideHosts, (inv) => fileWorkload('b', inv, wideHosts, 20, 'file workload, idempotent re-run'))
    if (only.has('a') || only.has('c') || only.has('m')) {
      await withBenchLab(instance, 2, async (inv) => {
        if (only.has('a')) await fileWorkload('a', inv, 2, 10, 'file workload, idempotent re-run')
        if (only.has('m')) await mixedWorkload(inv)
        if (only.has('c')) await siteYml(inv)
      })
    }
  } finally {
    clearInterval(sampler)
    rmSync(work, { recursive: true, force: true })
  }
  environment['load average during the run'] = `1-minute load ${Math.min(...loads).toFixed(1)} to ${Math.max(...loads).toFixed(1)}, median ${median(loads).toFixed(1)} (sampled every 10 s)`
  for (const r of results) {
    const s = summarize(r)
    if (s.pghaChanged || s.ansibleChanged || s.mitogenChanged) notes.push(`(${r.key}) not fully converged: changed up to ${s.pghaChanged} (pgha) / ${s.ansibleChanged} (ansible-playbook) / ${s.mitogenChanged} (Mitogen) per run.`)
  }
  results.sort((x, y) => x.key.localeCompare(y.key))
  environment['bench wall time'] = `${((Date.now() - started) / 1000).toFixed(0)} s`
  const date = new Date().toISOString().slice(0, 10)
  // A partial run (--only) gets its own file, so it does not overwrite the day's full run.
  const part = ['a', 'b', 'c', 'm'].every((k) => only.has(k)) ? '' : `-${[...only].sort().join('')}`
  // A result already written that day is kept: a later run gets the next free number.
  let file = join(root, 'bench', 'results', `${date}${part}.md`)
  for (let n = 2; existsSync(file); n++) file = join(root, 'bench', 'results', `${date}${part}-${n}.md`)
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, reportMarkdown({ date, environment, results, notes }))
  for (const t of targets(results)) log(`${t.met ? 'met    ' : 'MISSED '} ${t.label}: ${t.measured} (${t.target})`)
  log(`results in ${file}`)
}

main().catch((err) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`)
  process.exitCode = 1
})
