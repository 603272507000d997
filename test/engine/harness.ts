// A temporary project for engine tests: an INI inventory of local hosts, playbooks and files written into
// a temp dir, and runs through runPlaybook with every event collected, so a test can check what a user
// sees (recap, exit code, results per task and host) and what the hosts' files became.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { onTestFinished } from 'vitest'
import { runPlaybook, type EngineEvent, type RunOptions } from '../../src/engine/index.js'
import type { RunSummary } from '../../src/engine/index.js'
import { exitCodeOf } from '../../src/cli/exit-codes.js'

export type HostResult = Extract<EngineEvent, { type: 'host:result' }>

export interface Run extends RunSummary {
  /** The exit code `pgha run` would give this run. */
  exitCode: number
  events: EngineEvent[]
  /** host:result events of the task with this name, by host (the last one when the task ran twice). */
  results(task: string): Record<string, HostResult>
  /** Names of the tasks (and handlers) started, in order. */
  tasks(): string[]
  /** `task/host` for every host:result, in the order they were emitted. */
  trail(): string[]
}

export interface Project {
  dir: string
  /** Writes a file under the project dir (parents created) and returns its path. */
  write(rel: string, text: string): string
  read(rel: string): string
  /** Runs a playbook of the project (default site.yml) against inventory.ini. */
  run(options?: Partial<RunOptions> & { playbook?: string }): Promise<Run>
}

/** A temp project with `inventory.ini` holding local hosts (`hostA ansible_connection=local ...`). */
export function project(inventory: string, files: Record<string, string> = {}): Project {
  const dir = mkdtempSync(join(tmpdir(), 'pgha-engine-'))
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
  const write = (rel: string, text: string): string => {
    const path = join(dir, rel)
    mkdirSync(dirname(path), { recursive: true })
    writeFileSync(path, text)
    return path
  }
  write('inventory.ini', inventory)
  for (const [rel, text] of Object.entries(files)) write(rel, text)
  return {
    dir,
    write,
    read: (rel) => readFileSync(join(dir, rel), 'utf8'),
    run: ({ playbook = 'site.yml', ...o } = {}) => run({ playbook: join(dir, playbook), inventory: join(dir, 'inventory.ini'), ...o }),
  }
}

/** A play on all hosts, without fact gathering, around `tasks` (each task indented by four spaces). */
export function play(tasks: string, vars = '{}'): string {
  return `
- hosts: all
  gather_facts: false
  vars: ${vars}
  tasks:
${tasks}`
}

/** `hostA ansible_connection=local` lines plus whatever extra lines (groups, vars) the test needs. */
export function localHosts(names: string[], extra = ''): string {
  return `${names.map((n) => `${n} ansible_connection=local`).join('\n')}\n${extra}`
}

export async function run(options: RunOptions): Promise<Run> {
  const events: EngineEvent[] = []
  const summary = await runPlaybook({
    ...options,
    onEvent: (e) => {
      events.push(e)
      options.onEvent?.(e)
    },
  })
  const hostResults = (): HostResult[] => events.filter((e): e is HostResult => e.type === 'host:result')
  return {
    ...summary,
    exitCode: exitCodeOf(summary.outcome),
    events,
    results: (task) => Object.fromEntries(hostResults().filter((e) => e.task === task).map((e) => [e.host, e])),
    tasks: () => events.flatMap((e) => (e.type === 'task:start' ? [e.name] : [])),
    trail: () => hostResults().map((e) => `${e.task}/${e.host}`),
  }
}

/** Every file under `dir` with its content (directories as `path/`), for comparing trees before and after. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {}
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name)
      const st = statSync(path)
      const rel = relative(dir, path)
      if (st.isDirectory()) {
        out[`${rel}/`] = (st.mode & 0o7777).toString(8)
        walk(path)
      } else {
        out[rel] = `${(st.mode & 0o7777).toString(8)} ${readFileSync(path, 'utf8')}`
      }
    }
  }
  walk(dir)
  return out
}
