// What the option-, line- and check-mode suites share: a temp project per run, the built pgha run as a user
// runs it (local connection, or SSH to the private loopback sshd), stand-ins for the system tools a module
// would run as root, and readers for what a user checks afterwards: the exit code, the file:line:col of an
// input error, a task's result in the JSON output, the PWNED markers, the calls the stand-ins received.
//
// A stand-in records its argv and reads its arguments as getopt does: an argument before `--` that starts
// with '-' is an option, and an option that names a PWNED marker is obeyed (the marker file is created),
// as the real tool would obey an option a value smuggled in. So a marker appears exactly when a hostile
// value reached a command line as an option; the control case proves the stand-ins do create it.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe } from 'vitest'
import { pgha as runPgha, type Captured } from '../secrets/cli.js'
import { haveSshd, startSshd, type TestSshd } from '../transport/sshd.js'

export type HostLine = Record<string, string | number>

export const LOCAL: HostLine = { ansible_connection: 'local' }

/** A describe whose suites (registered by `body`) reach hostA over SSH, as root, to a private loopback sshd. */
export function overSsh(title: string, body: (host: () => HostLine) => void, skip = false): void {
  describe.skipIf(skip || !haveSshd)(title, () => {
    let sshd: TestSshd
    beforeAll(async () => {
      sshd = await startSshd()
    }, 120_000)
    afterAll(() => sshd?.stop())
    body(() => ({
      ansible_host: '127.0.0.1', ansible_port: sshd.port, ansible_user: 'root',
      ansible_ssh_private_key_file: sshd.keyFile, pgha_known_hosts_file: sshd.knownHosts,
    }))
  })
}

export interface Project {
  dir: string
  /** Where the stand-in tools are; put first on PATH by the play's `environment`. */
  bin: string
  write(name: string, text: string): string
  marker(name: string): boolean
  cleanup(): void
}

const projects: Project[] = []

/** Tool-specific answers of the stand-ins (after they recorded the call). */
const BEHAVIOUR: Record<string, string> = {
  systemctl: `case "$1" in show) printf 'Id=x\\nLoadState=loaded\\nActiveState=inactive\\nSubState=dead\\nUnitFileState=disabled\\nNeedDaemonReload=no\\n';; esac`,
  chpasswd: `cat >> "$d/chpasswd.stdin"`,
}

/** A temp project with stand-ins for `tools` in its bin/. */
export function project(label: string, tools: string[] = []): Project {
  const dir = mkdtempSync(join(tmpdir(), `pgha-sec-${label}-`))
  const bin = join(dir, 'bin')
  mkdirSync(bin)
  for (const tool of tools) {
    const script = [
      '#!/bin/sh',
      `d='${dir}'`,
      `{ printf '%s' "$(basename "$0")"; for a in "$@"; do printf '\\037%s' "$a"; done; printf '\\036'; } >> "$d/calls.log"`,
      'for a in "$@"; do',
      '  [ "$a" = -- ] && break',
      `  case "$a" in -*PWNED*) touch "$d/$(printf '%s' "$a" | sed 's/.*\\(PWNED[A-Za-z0-9_-]*\\).*/\\1/')";; esac`,
      'done',
      BEHAVIOUR[tool] ?? '',
      'exit 0',
    ].join('\n')
    writeFileSync(join(bin, tool), `${script}\n`)
    chmodSync(join(bin, tool), 0o755)
  }
  const p: Project = {
    dir,
    bin,
    write: (name, text) => {
      const path = join(dir, name)
      mkdirSync(dirname(path), { recursive: true })
      writeFileSync(path, text)
      return path
    },
    marker: (name) => existsSync(join(dir, name)),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  }
  projects.push(p)
  return p
}

/** Removes every project made so far (afterAll). */
export function cleanupProjects(): void {
  for (const p of projects.splice(0)) p.cleanup()
}

/** The calls the stand-ins received, each as argv (tool name first). */
export function calls(p: Project, tool?: string): string[][] {
  const log = join(p.dir, 'calls.log')
  if (!existsSync(log)) return []
  return readFileSync(log, 'utf8').split('\x1e').filter(Boolean).map((c) => c.split('\x1f')).filter((argv) => tool === undefined || argv[0] === tool)
}

/** An inventory of one host, hostA, reached as `host` says. */
export function inventory(p: Project, host: HostLine = LOCAL, vars: Record<string, unknown> = {}): string {
  return p.write('inventory.yml', JSON.stringify({ all: { hosts: { hostA: host }, vars } }, null, 2))
}

/** The play's environment: the stand-ins first on PATH, on whichever transport. */
export const fakePath = (p: Project): string => `${p.bin}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`

export type Run = Captured

/** `pgha ARGS` in the project directory, output through pipes (plain unless -o says otherwise). */
export const pgha = (p: Project, args: string[]): Promise<Run> => runPgha(args, p.dir)

/** The 1-based line of the playbook text that holds `needle`, after the line holding `after` when given (where an input error must point). */
export function lineOf(text: string, needle: string, after?: string): number {
  const lines = text.split('\n')
  const from = after === undefined ? 0 : lines.findIndex((l) => l.includes(after))
  const i = lines.findIndex((l, n) => n > from && l.includes(needle))
  if (from < 0 || i < 0) throw new Error(`no line holds ${needle}`)
  return i + 1
}

/** A task as YAML lines under `tasks:` (its name quoted), its arguments one per line, then its keywords. */
export function task(name: string, module: string, args: Record<string, unknown>, keywords: string[] = []): string {
  return [`- name: ${yq(name)}`, `  ${module}:`, ...Object.entries(args).map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`), ...keywords.map((l) => `  ${l}`)].join('\n')
}

/**
 * A play on hostA without facts, its tasks in one block whose environment puts the stand-ins first on PATH
 * (on either transport), with `keywords` (become...) on the play.
 */
export function play(p: Project, tasks: string[], keywords: string[] = []): string {
  const indent = (t: string) => t.replace(/^/gm, '        ')
  return [
    '- hosts: all',
    '  gather_facts: false',
    ...keywords.map((k) => `  ${k}`),
    '  tasks:',
    '    - block:',
    ...tasks.map(indent),
    `      environment: { PATH: ${yq(fakePath(p))} }`,
  ].join('\n') + '\n'
}

interface JsonEntry {
  status: string
  result: Record<string, unknown> & { msg?: string; failed?: boolean }
}
interface JsonDoc {
  plays: { tasks: { name: string; hosts: Record<string, JsonEntry | JsonEntry[]> }[] }[]
  recap: Record<string, Record<'ok' | 'changed' | 'failed' | 'skipped' | 'ignored', number>>
}

/** hostA's row of the recap in `pgha run -o json` output. */
export function recap(run: Run): JsonDoc['recap'][string] {
  return (JSON.parse(run.stdout) as JsonDoc).recap.hostA
}

/** hostA's result of the task named `name` in `pgha run -o json` output. */
export function taskResult(run: Run, name: string): JsonEntry {
  const doc = JSON.parse(run.stdout) as JsonDoc
  const task = doc.plays.flatMap((pl) => pl.tasks).find((t) => t.name === name)
  if (!task) throw new Error(`no task '${name}' ran:\n${run.stdout.slice(0, 2000)}\n${run.stderr}`)
  const entry = task.hosts.hostA
  return Array.isArray(entry) ? entry[0] : entry
}

/** YAML for a double-quoted scalar holding exactly `v`. */
export const yq = (v: string): string => JSON.stringify(v)
