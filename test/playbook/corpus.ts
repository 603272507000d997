// Measures how much of a corpus of public Ansible roles (test/fixtures/corpus/, written by others) pgha's
// playbook loader reads: every task and handler file is loaded on its own through a one-task playbook that
// imports it, and each task counts as parsed when the loader reports no problem inside its lines.
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative, resolve, sep } from 'node:path'
import { ConfigErrors, type ConfigError } from '../../src/errors.js'
import { ansibleModules, fqcnOf, getModule, modules, type AnsibleModules } from '../../src/modules/index.js'
import { loadPlaybook } from '../../src/playbook/index.js'
import { loadYamlFile, locOf } from '../../src/yaml-source.js'

export const corpusDir = resolve(__dirname, '../fixtures/corpus')

export interface FileResult {
  role: string
  /** Relative to the corpus directory. */
  file: string
  tasks: number
  parsed: number
  /** The problems found inside this file's tasks, one per failed task (its first). */
  problems: ConfigError[]
}

/** The roles of the corpus: its directories that hold a tasks/ directory. */
export function corpusRoles(): string[] {
  return readdirSync(corpusDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && statSync(join(corpusDir, d.name, 'tasks'), { throwIfNoEntry: false })?.isDirectory())
    .map((d) => d.name)
    .sort()
}

/** Every task and handler file of a role. */
function taskFiles(role: string): string[] {
  return ['tasks', 'handlers'].flatMap((sub) => {
    const dir = join(corpusDir, role, sub)
    if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) return []
    return walk(dir).filter((f) => /\.ya?ml$/.test(f)).sort()
  })
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]))
}

/** The first line of each task of a task list, blocks opened (a block is not a task, its tasks are). */
function taskLines(list: unknown): number[] {
  if (!Array.isArray(list)) return []
  return list.flatMap((item, i) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return []
    const sections = ['block', 'rescue', 'always'].filter((k) => Array.isArray((item as Record<string, unknown>)[k]))
    if (sections.length > 0) return sections.flatMap((k) => taskLines((item as Record<string, unknown>)[k]))
    return [locOf(list, i)?.line ?? 0]
  })
}

/**
 * Modules pgha lacks are resolved by the controller's Ansible, as in a run (CI installs Debian's ansible),
 * with one resolver for the whole corpus, so its answers are shared by every file.
 */
export const corpusAnsible = ansibleModules()
const loadOptions = { modules: getModule, moduleNames: [...modules.keys()], fqcnOf, ansibleModule: corpusAnsible as AnsibleModules }

/**
 * Asks Ansible about every name the corpus lacks in one python run: a first sweep only collects them
 * (its resolver never settles), then they are settled at once, so the measuring sweep finds every answer.
 */
export function resolveCorpusModules(roles: string[]): void {
  const collecting: AnsibleModules = { find: (n, c) => corpusAnsible.find(n, c), settle: () => false, starts: 0 }
  for (const role of roles) for (const f of taskFiles(role)) measureFile(role, f, collecting)
  corpusAnsible.settle()
}

/** Loads one task file as the loader would an import_tasks of it, and sorts its problems by task. */
export function measureFile(role: string, file: string, ansibleModule: AnsibleModules = corpusAnsible): FileResult {
  const rel = relative(corpusDir, file)
  let lines: number[]
  try {
    lines = taskLines(loadYamlFile(file))
  } catch (err) {
    // A file that does not load counts as one task that failed.
    return { role, file: rel, tasks: 1, parsed: 0, problems: err instanceof ConfigErrors ? err.errors.slice(0, 1) : [err as ConfigError] }
  }
  const dir = mkdtempSync(join(tmpdir(), 'pgha-corpus-'))
  const playbook = join(dir, 'play.yml')
  writeFileSync(playbook, playText(role, file))
  // The corpus's roles are installed side by side, as ansible-galaxy installs a role's requirements
  // (ome.postgresql includes ome.postgresql_client).
  writeFileSync(join(dir, 'ansible.cfg'), `[defaults]\nroles_path = ${corpusDir}\n`)
  let errors: ConfigError[] = []
  try {
    loadPlaybook(playbook, { ...loadOptions, ansibleModule, onProblems: (found) => { errors = found } })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  // Problems of other files (what this one imports) are counted when those files are loaded.
  const own = errors.filter((e) => e.loc?.file === file)
  const firstOfTask = new Map<number, ConfigError>()
  for (const e of own) {
    const task = taskIndex(lines, e.loc?.line ?? 0)
    if (!firstOfTask.has(task)) firstOfTask.set(task, e)
  }
  return { role, file: rel, tasks: lines.length, parsed: lines.length - firstOfTask.size, problems: [...firstOfTask.values()] }
}

/**
 * A play that imports the file from its role, as the role's own main.yml or an include_role would reach it:
 * a tasks file as tasks_from, a handlers file as handlers_from, so that paths relative to the role (a
 * handler's `include_tasks: tasks/restart.yml`), its defaults and its handlers are there as in Ansible.
 */
function playText(role: string, file: string): string {
  const [dir, ...rest] = relative(join(corpusDir, role), file).split(sep)
  const from = { [dir === 'handlers' ? 'handlers_from' : 'tasks_from']: rest.join('/') }
  return `- hosts: all\n  gather_facts: false\n  tasks:\n    - import_role: ${JSON.stringify({ name: role, ...from })}\n`
}

/** The task a line belongs to: the last one starting at or before it (the first for a line above them all). */
function taskIndex(lines: number[], line: number): number {
  let at = 0
  lines.forEach((start, i) => {
    if (start <= line) at = i
  })
  return at
}

export function measureRole(role: string): FileResult[] {
  return taskFiles(role).map((f) => measureFile(role, f))
}

/**
 * What a problem is about, without what differs between tasks: quoted names stay (they say which module,
 * keyword or filter is missing), numbers and text after the first colon of a detail do not.
 */
export function causeOf(e: ConfigError): string {
  const msg = e.message.split('\n')[0]
  return msg
    .replace(/'ansible\.(builtin|legacy)\./g, "'")
    .replace(/^(unknown module '[^']*')[:,].*$/, '$1')
    .replace(/ \(did you mean [^)]*\)/g, '')
    .replace(/, got .*$/, '')
    .replace(/: .{60,}$/, ': ...')
    .replace(/\d+/g, 'N')
}

/** The kind of thing a cause says is missing, to sum causes up. */
export function kindOf(cause: string): string {
  if (/^unknown module/.test(cause)) return 'a module pgha does not have'
  if (/^(module|parameter) '/.test(cause)) return "a module's parameter pgha does not have or reads otherwise"
  if (/with_|loop_control|'include'|unknown keyword|include_vars|set_fact/.test(cause)) return 'a keyword or loop pgha does not have'
  if (/handler/.test(cause)) return 'a handler'
  return 'a keyword value pgha reads otherwise'
}
