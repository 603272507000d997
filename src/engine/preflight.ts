// Everything is validated before any host is contacted: extra vars, inventory, playbook (structure,
// modules, parameters), host patterns, vars_files, controller files (template/copy/unarchive src), and
// every variable a template or condition names. All problems are collected and thrown together as
// ConfigErrors (exit 1).
import { closeSync, existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { collectConfigErrors, ConfigError, ConfigErrors, formatLoc, registerSource, type SourceLocation } from '../errors.js'
import { InputFileError, openRegularFile, readRegularFile } from '../input-file.js'
import type { Inventory, Vars } from '../inventory/types.js'
import { loadInventory, checkPattern, findHost, reachableHosts, selectHosts } from '../inventory/index.js'
import { ansibleModules, fqcnOf, getModule, libraryFinder, modules } from '../modules/index.js'
import {
  inReadingOrder, loadPlaybook, collectTemplateSources, rolesOf, definedAtRunTime, didYouMean, walkPlay, type Playbook, type Task, type TaskNode, type TemplateSource,
} from '../playbook/index.js'
import { isTemplated, loadVarsFile, locateInText, parseExtraVars, renderValue, templateVariables, MAGIC_VARIABLES } from '../vars/index.js'
import { FACT_VARIABLES } from './gather-facts.js'
import { localCandidates } from './host-access.js'
import type { RunOptions } from './options.js'
import { applyCommandLineDefaults } from './command-line-defaults.js'
import { roleArgumentErrors } from './role-arguments.js'
import { ROLE_MAGIC_VARIABLES } from './role-vars.js'
import { includeVarsNames, includeVarsUnknowable } from './include-vars-names.js'
import { shownPath } from '../shown-path.js'

export interface Prepared {
  inventory: Inventory
  playbook: Playbook
  extraVars: Vars
  /** Hosts --limit allows (undefined: no limit). */
  limit?: Set<string>
}

export function prepare(options: RunOptions): Prepared {
  const { errors, attempt } = collectConfigErrors()
  const parsedExtraVars = attempt(() => parseExtraVars(options.extraVars ?? []))
  const extraVars = parsedExtraVars ?? {}
  const inventory = attempt(() => loadInventory(options.inventory))
  if (inventory) applyCommandLineDefaults(inventory, options)
  // A playbook with problems is still checked against the inventory, so one run reports everything.
  const playbook = attempt(() => loadPlaybook(options.playbook, {
    modules: getModule, libraryModule: libraryFinder(), ansibleModule: ansibleModules(), moduleNames: [...modules.keys()], fqcnOf, onProblems: (found) => errors.push(...found), extraVars,
  }))
  let limit: Set<string> | undefined
  if (inventory && options.limit !== undefined) {
    // The option is shown like a one-line file, so its error has a caret like any other.
    registerSource('--limit', options.limit)
    const err = checkPattern(inventory, options.limit, { file: '--limit', line: 1, col: 1 })
    if (err) errors.push(err)
    else limit = new Set(selectHosts(inventory, options.limit))
  }
  if (inventory && playbook) {
    const fileVars: Vars = {}
    // After a play that runs add_host or group_by, a pattern may name hosts and groups that only exist then.
    let inventoryGrows = false
    for (const play of playbook.plays) {
      attempt(() => renderHosts(play, extraVars))
      const err = play.hosts === '' || inventoryGrows || isTemplated(play.hosts) ? undefined : checkPattern(inventory, play.hosts, play.hostsLoc)
      if (err) errors.push(err)
      inventoryGrows ||= [...walkPlay(play)].some((n) => n.kind === 'task' && !!getModule(n.module)?.changesInventory)
      for (const vf of play.varsFiles) {
        if (isTemplated(vf.path)) continue
        const path = shownPath(resolve(play.baseDir, vf.path))
        if (!existsSync(path)) errors.push(new ConfigError(`vars file not found: ${vf.path}${lookedFor([path], vf.path)}`, vf.loc))
        else attempt(() => Object.assign(fileVars, loadVarsFile(path, vf.loc)))
      }
    }
    const known = knownNames(inventory, playbook, { ...fileVars, ...extraVars })
    const sources = [...collectTemplateSources(playbook)]
    const templateFiles: TemplateSource[] = []
    errors.push(...controllerFiles(playbook, sources, templateFiles, attempt))
    if (parsedExtraVars) errors.push(...roleArgumentErrors(inventory, playbook, extraVars, limit))
    // Without the -e values every name they define would be reported as undefined too.
    if (parsedExtraVars) {
      const found = undefinedVariables(checkedForUndefined(playbook, sources, templateFiles), known)
      errors.push(...found.errors)
      if (found.warnings.length > 0) playbook.warnings = [...(playbook.warnings ?? []), ...found.warnings]
    }
  }
  if (errors.length > 0) throw new ConfigErrors(inReadingOrder(errors))
  return { inventory: inventory!, playbook: playbook!, extraVars, limit }
}

/** Every name some scope defines before or while tasks run. */
function knownNames(inv: Inventory, pb: Playbook, extra: Vars): Set<string> {
  const known = new Set<string>([...MAGIC_VARIABLES, ...Object.keys(extra), ...definedAtRunTime(pb), ...includeVarsNames(pb)])
  for (const k of FACT_VARIABLES) known.add(k)
  for (const h of reachableHosts(inv)) for (const k of Object.keys(findHost(inv, h)!.vars)) known.add(k)
  for (const g of inv.groups.values()) for (const k of Object.keys(g.vars)) known.add(k)
  for (const play of pb.plays) for (const k of Object.keys(play.vars)) known.add(k)
  // vars_prompt's variables are asked for once the playbook is known to be valid (vars-prompt.ts).
  for (const play of pb.plays) for (const p of play.varsPrompt) known.add(p.name)
  for (const k of ROLE_MAGIC_VARIABLES) known.add(k)
  // add_host's other parameters are variables of the host it adds, seen by the plays that run on it.
  // The facts fact modules set (service_facts: services) are known once such a task is in the playbook.
  for (const play of pb.plays) {
    for (const n of walkPlay(play)) {
      if (n.kind !== 'task') continue
      if (n.module === 'add_host') for (const k of Object.keys(n.args)) known.add(k)
      for (const k of getModule(n.module)?.facts ?? []) known.add(k)
    }
  }
  for (const play of pb.plays) {
    for (const role of rolesOf(play)) for (const vars of [role.defaults, role.vars, role.keywordVars, role.params]) for (const k of Object.keys(vars)) known.add(k)
  }
  return known
}

/**
 * Names no scope can define are typos: reported where they are written, before any host is contacted. In
 * a task that runs only when its `when` holds, as Ansible would not fail it unless it runs (a role's
 * RedHat-only task naming a variable its RedHat vars define), it is a warning; under a condition that is
 * written false it is nothing. A name a role's own text reads and nothing defines is the role's input,
 * for its user to set (ome.postgresql's postgresql_version): a warning too, and as in Ansible the tasks
 * before run and the task that reads it fails. The play's own text keeps the error: the name is the
 * user's to fix, and nothing but the user can define it.
 */
function undefinedVariables(sources: TemplateSource[], known: Set<string>): { errors: ConfigError[]; warnings: ConfigError[] } {
  const errors: ConfigError[] = []
  const warnings: ConfigError[] = []
  // A variable's value is templated where a task reads it, so it may name a loop variable of that task (a
  // role's vars naming the loop_var of the include that uses them): any name local somewhere is accepted there.
  const localSomewhere = new Set(sources.flatMap((s) => [...s.local]))
  for (const src of sources) {
    const guard = guardOf(src)
    if (guard === 'never') continue
    for (const name of src.variables) {
      if (known.has(name) || src.local.has(name) || (src.key.startsWith('vars.') && localSomewhere.has(name))) continue
      const hint = didYouMean(name, [...known, ...src.local]) || ` (define it in the play's vars, a vars file, the inventory or with -e)`
      const role = src.role ?? src.task?.role?.role
      if (role) warnings.push(new ConfigError(`undefined variable '${name}' in ${src.key}${hint}: role '${role.name}' reads it and does not define it; the tasks that read it fail if they run`, nameLoc(src, name)))
      else if (guard === 'maybe') warnings.push(new ConfigError(`undefined variable '${name}' in ${src.key}${hint}: the task fails if it runs (its when holds)`, nameLoc(src, name)))
      else errors.push(new ConfigError(`undefined variable '${name}' in ${src.key}${hint}`, nameLoc(src, name)))
    }
  }
  return { errors, warnings }
}

/**
 * Whether the source's text is read only under conditions: the task's `when` (inherited ones included),
 * and for a condition of its own, the conditions before it (Ansible stops at the first that is false).
 */
function guardOf(src: TemplateSource): 'always' | 'maybe' | 'never' {
  const when = src.task?.when ?? []
  const own = src.key === 'when' ? when.findIndex((c) => c.loc === src.loc && c.expr === src.text) : -1
  const before = own >= 0 ? when.slice(0, own) : when
  const word = (c: { expr: string }): string => c.expr.trim().toLowerCase()
  if (before.some((c) => FALSE.has(word(c)))) return 'never'
  return before.some((c) => !TRUE.has(word(c))) ? 'maybe' : 'always'
}

/** The position of the first whole-word use of `name` in the source's text, else the text's start. */
function nameLoc(src: Pick<TemplateSource, 'text' | 'loc'>, name: string): SourceLocation {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const m = new RegExp(`(?<![\\w.])${escaped}(?!\\w)`).exec(src.text)
  if (!m) return src.loc
  const before = src.text.slice(0, m.index).split('\n')
  return locateInText(src.loc, src.text, before.length, before[before.length - 1].length + 1)
}

/** Modules whose literal `src` is a file on the controller, and where it is looked up. */
const LOCAL_SRC: Record<string, 'files' | 'templates'> = { template: 'templates', copy: 'files', unarchive: 'files' }
const TRUE = new Set(['yes', 'true', 'on', 'y', '1'])
const FALSE = new Set(['no', 'false', 'off', 'n', '0'])

/**
 * A literal src of template, copy or unarchive must exist on the controller now, not fail on every host
 * later; a template file's own syntax and variables are checked like the playbook's (its variables are
 * collected into `templateFiles`).
 */
function controllerFiles(pb: Playbook, sources: TemplateSource[], templateFiles: TemplateSource[], attempt: <T>(fn: () => T) => T | undefined): ConfigError[] {
  const out: ConfigError[] = []
  // A template file sees what its task sees; any name local somewhere (loop variables) is accepted.
  const local = new Set(sources.flatMap((s) => [...s.local]))
  for (const play of pb.plays) {
    for (const node of walkPlay(play)) {
      if (node.kind !== 'task') continue
      const kind = LOCAL_SRC[node.module]
      const src = node.args.src
      if (!kind || typeof src !== 'string' || src === '' || isTemplated(src)) continue
      if (node.args.remote_src === true || TRUE.has(String(node.args.remote_src).toLowerCase())) continue
      // unarchive's older name for remote_src, its opposite: copy: false
      if (node.module === 'unarchive' && (node.args.copy === false || FALSE.has(String(node.args.copy).toLowerCase()))) continue
      const candidates = localCandidates(node, kind, src)
      const path = candidates.find((c) => existsSync(c))
      if (!path) {
        const where = node.role ? `the role's ${kind}/` : `${kind}/ next to the playbook`
        out.push(new ConfigError(`${node.module} src not found: ${src}${lookedFor(candidates.map(shownPath), src)}; put it in ${where}`, node.locOf('args.src')))
        continue
      }
      // a device, FIFO or directory (and a template over the input bound) is refused before it is read
      let text: string | undefined
      try {
        if (kind === 'templates') text = readRegularFile(path).toString('utf8')
        else closeSync(openRegularFile(path).fd)
      } catch (err) {
        if (!(err instanceof InputFileError)) throw err
        out.push(new ConfigError(`${node.module} src ${src} cannot be read: ${err.message}`, node.locOf('args.src')))
        continue
      }
      if (text === undefined) continue
      const own = [...Object.keys(node.vars), node.loopVar, ...(node.indexVar ? [node.indexVar] : [])]
      templateFiles.push(...templateFileSources(path, text, node, play, new Set([...local, ...own]), attempt))
    }
  }
  return out
}

/**
 * `hosts: "{{ target }}"`: the pattern is rendered with the play's vars and the extra vars before the play
 * runs, as Ansible does (no host's variables exist yet); a list becomes a pattern of its names.
 */
function renderHosts(play: Playbook['plays'][number], extraVars: Vars): void {
  if (!isTemplated(play.hosts)) return
  const v = renderValue(play.hosts, { ...play.vars, ...extraVars }, play.hostsLoc)
  const named = play.name !== play.hosts
  play.hosts = Array.isArray(v) ? v.map(String).join(':') : String(v ?? '')
  // A play without a name is shown by its hosts, as rendered (`PLAY [db1]`, not `PLAY [{{ target }}]`).
  if (!named) play.name = play.hosts
}

function templateFileSources(path: string, text: string, task: Task, play: Playbook['plays'][number], local: Set<string>, attempt: <T>(fn: () => T) => T | undefined): TemplateSource[] {
  const file = shownPath(path)
  registerSource(file, text)
  const loc = { file, line: 1, col: 1 }
  const variables = attempt(() => templateVariables(text, loc))
  return variables ? [{ kind: 'template', text, loc, play, task, key: `the template used at ${formatLoc(task.locOf('args.src'))}`, variables, local }] : []
}

/** ` (looked for a, b)`, or nothing when the only place looked is the name as written. */
function lookedFor(paths: string[], name: string): string {
  const unique = [...new Set(paths)]
  return unique.length === 1 && unique[0] === name ? '' : ` (looked for ${unique.join(', ')})`
}


/**
 * What the undefined-variable check can judge. A playbook's own module may set any fact (its ansible_facts),
 * and so may a set_fact whose name is a template (`"{{ item.key }}": "{{ item.value }}"` over a vars file)
 * or an include whose file is left to run time because it uses what pgha lacks (its register and set_fact
 * are not known), so once one has run no name is known to be undefined: with one, only the tasks that run before the first
 * (in the order the play runs them) are checked, and not the play's variables nor template files, which may
 * be rendered after it.
 */
function checkedForUndefined(playbook: Playbook, sources: TemplateSource[], templateFiles: TemplateSource[]): TemplateSource[] {
  const order = new Map<unknown, number>()
  let first = Infinity
  for (const play of playbook.plays) {
    for (const node of walkPlay(play)) {
      order.set(node, order.size)
      if (mayDefineAnything(node)) first = Math.min(first, order.get(node)!)
    }
  }
  if (first === Infinity) return [...sources, ...templateFiles]
  return sources.filter((s) => s.task !== undefined && (order.get(s.task) ?? Infinity) < first)
}

/** What may define variables no load can name (see checkedForUndefined). */
function mayDefineAnything(node: TaskNode): boolean {
  if (node.kind === 'task') return node.library !== undefined || (node.module === 'set_fact' && Object.keys(node.args).some((k) => isTemplated(k))) || includeVarsUnknowable(node)
  // A literal file name not loaded ahead: its file uses a module or parameter pgha lacks.
  if (node.kind === 'include_tasks') return !node.preloaded && node.file !== '' && !isTemplated(node.file)
  if (node.kind === 'include_role') return !node.preloaded && node.roleName !== '' && !isTemplated(node.roleName) && !Object.values(node.from).some(isTemplated)
  return false
}
