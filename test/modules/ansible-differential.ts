// Runs the same tasks under ansible-playbook (connection local) and under pgha, each in its own temp dir
// (`DIR` in the tasks' text names it), and returns what a user compares: each task's changed/failed status
// and diff, and the files each tool left in its dir. Used where the module's effect stays inside the temp
// dir or check mode is used, so this machine's real configuration is never changed.
import { spawnSync } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { onTestFinished } from 'vitest'
import { run } from '../engine/harness.js'
import type { TaskResult } from '../../src/modules/index.js'

export const haveAnsible = spawnSync('ansible-playbook', ['--version'], { encoding: 'utf8' }).status === 0

export interface TaskOutcome {
  name: string
  changed: boolean
  failed: boolean
  msg?: string
  /** Each file's before and after text, as --diff shows them. */
  diff: { before: string; after: string }[]
  /** The task's result as the tool reports it (a `debug: var=x` task's holds x as registered). */
  result: Record<string, unknown>
}

export interface Side {
  tasks: TaskOutcome[]
  /** Every regular file under the dir (relative path -> content). */
  files: Record<string, string>
}

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

function filesUnder(dir: string, rel = ''): Record<string, string> {
  const out: Record<string, string> = {}
  for (const name of readdirSync(join(dir, rel))) {
    if (name.startsWith('.') || name === 'site.yml' || name === 'inventory.ini' || name === 'bin') continue
    const p = join(rel, name)
    const st = statSync(join(dir, p))
    if (st.isDirectory()) Object.assign(out, filesUnder(dir, p))
    else out[p] = readFileSync(join(dir, p), 'utf8')
  }
  return out
}

const playbook = (tasks: string): string => `- hosts: localhost\n  gather_facts: false\n  tasks:\n${tasks}`
const INVENTORY = 'localhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n'

interface Options {
  check?: boolean
  /** Files to put in each dir first (relative path -> content); those under bin/ are executable. */
  seed?: Record<string, string>
}

function seeded(prefix: string, tasks: string, o: Options): { dir: string; book: string; inventory: string } {
  const dir = tempDir(prefix)
  for (const [rel, text] of Object.entries(o.seed ?? {})) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true })
    writeFileSync(join(dir, rel), text.replaceAll('DIR', dir))
    if (rel.startsWith('bin/')) chmodSync(join(dir, rel), 0o755)
  }
  const book = join(dir, 'site.yml')
  writeFileSync(book, playbook(tasks.replaceAll('DIR', dir)))
  const inventory = join(dir, 'inventory.ini')
  writeFileSync(inventory, INVENTORY)
  return { dir, book, inventory }
}

/** ansible-playbook's side, through its json callback. */
export function underAnsible(tasks: string, o: Options = {}): Side {
  const { dir, book, inventory } = seeded('pgha-diff-ansible-', tasks, o)
  const r = spawnSync('ansible-playbook', ['-i', inventory, book, '--diff', ...(o.check ? ['--check'] : [])], {
    encoding: 'utf8',
    env: {
      ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_STDOUT_CALLBACK: 'json', ANSIBLE_RETRY_FILES_ENABLED: '0',
      ANSIBLE_LOCAL_TEMP: join(dir, '.tmp'), ANSIBLE_REMOTE_TEMP: join(dir, '.rtmp'), ANSIBLE_HOME: join(dir, '.ansible'),
      ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3',
    },
    timeout: 300_000,
  })
  const out = JSON.parse(r.stdout) as { plays: { tasks: { task: { name: string }; hosts: Record<string, TaskResult> }[] }[] }
  const outcomes = out.plays[0].tasks.map(({ task, hosts }) => {
    const h = hosts.localhost
    const diffs = (Array.isArray(h.diff) ? h.diff : h.diff ? [h.diff] : []) as { before?: unknown; after?: unknown }[]
    return {
      name: task.name, changed: !!h.changed, failed: !!h.failed, msg: h.failed ? String(h.msg) : undefined, result: h as Record<string, unknown>,
      diff: diffs.filter((d) => typeof d.before === 'string' || typeof d.after === 'string').map((d) => ({ before: String(d.before ?? ''), after: String(d.after ?? '') })),
    }
  })
  return { tasks: outcomes, files: filesUnder(dir) }
}

/** pgha's side, through its engine. */
export async function underPgha(tasks: string, o: Options = {}): Promise<Side> {
  const { dir, book, inventory } = seeded('pgha-diff-pgha-', tasks, o)
  const r = await run({ playbook: book, inventory, check: o.check, diff: true })
  // A failure ignore_errors let pass is still a failure in Ansible's json result, as here.
  const failed = (status: string) => status === 'failed' || status === 'ignored'
  const outcomes = r.events.flatMap((e) => (e.type === 'host:result' ? [e] : [])).map((e) => ({
    name: e.task, changed: e.status === 'changed', failed: failed(e.status), msg: failed(e.status) ? String(e.result.msg) : undefined, result: e.result as Record<string, unknown>,
    diff: (e.result.diff ?? []).map((d) => ({ before: d.before, after: d.after })),
  }))
  return { tasks: outcomes, files: filesUnder(dir) }
}

/** Each task as `name: changed|ok|failed` (with the failure's message when asked), for comparing two sides. */
export function statuses(side: Side, withMessage = false): string[] {
  return side.tasks.map((t) => `${t.name}: ${t.failed ? `failed${withMessage ? `: ${t.msg}` : ''}` : t.changed ? 'changed' : 'ok'}`)
}

/** statuses with the failures' messages, each tool's temp dir in them written DIR, for comparing the two sides. */
export function dirlessStatuses(side: Side): string[] {
  return statuses(side, true).map((s) => s.replace(/[^\s']*pgha-diff-(?:ansible|pgha)-\w+/g, 'DIR'))
}

/** Both sides with the tool's own dir in place of each one's: paths in messages and diffs read DIR. */
export async function bothSides(tasks: string, o: Options = {}): Promise<{ ansible: Side; pgha: Side }> {
  return { ansible: underAnsible(tasks, o), pgha: await underPgha(tasks, o) }
}
