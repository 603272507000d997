// A playbook's own module (a file of a `library/` directory) as a pgha module. It runs on the host as
// ansible-playbook runs it: the file and its arguments file are put in a private temporary directory
// (arguments as JSON, or as `key=value` words for an old-style module), it runs with the interpreter its
// `#!` line names (the host's `ansible_<name>_interpreter` first, Ansible's rule; python as uri finds it),
// and its JSON on stdout is the task's result. Check mode is the module's own: it is run with
// `_ansible_check_mode: true` and decides, as under Ansible (a module that ignores the flag changes the
// host in a check run there too).
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { z } from 'zod'
import { shqAlways } from '../../shell/index.js'
import { defineModule, type ModuleContext, type ModuleDef, type Plan, type TaskResult } from '../types.js'
import { findPython } from '../lib/python-interpreter.js'
import { moduleResult } from './result.js'
import { runAnsiballz } from '../ansible/run.js'
import type { ModuleStyle, Shebang } from './style.js'
import { onNewRun } from '../../run-state.js'

/** The file a task's module runs, as the loader found and classified it. */
export interface LibraryFile {
  name: string
  /** The file on the controller. */
  path: string
  /** How it runs; `ansiballz`: one of the controller's Ansible modules, sent as Ansible pipelines it (src/modules/ansible). */
  style: ModuleStyle | 'ansiballz'
  shebang?: Shebang
  /** An Ansible module's name after routing (`name` is the task's, which Ansible hands the module). */
  fqcn?: string
  /** Its `no_log` parameters, as far as its source shows them: secrets whatever their value. */
  secretArgs?: string[]
}

/** The ansible-core release whose module interface pgha speaks (ansible_version says the same). */
const ANSIBLE_VERSION = '2.14.18'

/** The internal arguments Ansible adds to every module's (ActionBase._update_module_args) that pgha can honour. */
function internalArgs(ctx: ModuleContext, name: string): Record<string, unknown> {
  return {
    _ansible_check_mode: ctx.check,
    _ansible_no_log: ctx.noLog ?? false,
    _ansible_debug: false,
    _ansible_diff: ctx.diff ?? false,
    _ansible_verbosity: ctx.verbosity,
    _ansible_version: ANSIBLE_VERSION,
    _ansible_module_name: name,
    _ansible_syslog_facility: 'LOG_USER',
    _ansible_selinux_special_fs: ['fuse', 'nfs', 'vboxsf', 'ramfs', '9p', 'vfat'],
    _ansible_string_conversion_action: 'warn',
    _ansible_keep_remote_files: false,
    _ansible_remote_tmp: '~/.ansible/tmp',
  }
}

/** Python's shlex.quote, which Ansible quotes old-style arguments with. */
function shlexQuote(s: string): string {
  if (s === '') return "''"
  return /[^\w@%+=:,./-]/.test(s) ? `'${s.replaceAll("'", `'"'"'`)}'` : s
}

/** Python's str() of an argument value, as Ansible writes it into an old-style arguments file. */
function pythonText(v: unknown): string {
  if (typeof v === 'string') return v
  if (v === true) return 'True'
  if (v === false) return 'False'
  if (v === null || v === undefined) return 'None'
  if (typeof v === 'number') return String(v)
  return JSON.stringify(v) // a list or mapping: Python would print its repr; JSON is what a script can read
}

/** The arguments file: `k=v ` words (old), {"ANSIBLE_MODULE_ARGS": ...} (new), or the arguments as JSON. */
function argumentsFile(style: LibraryFile['style'], args: Record<string, unknown>): string {
  if (style === 'old') return Object.entries(args).map(([k, v]) => `${k}=${shlexQuote(pythonText(v))} `).join('')
  return JSON.stringify(style === 'new' ? { ANSIBLE_MODULE_ARGS: args } : args)
}

/** The exit code and words by which the host says that it cannot import ansible.module_utils. */
export const NO_MODULE_UTILS = 'pgha: no ansible.module_utils on the host'

/** sh text that runs "$d/m" with "$d/args" as Ansible would, with the interpreter its kind and #! call for. */
function runLine(file: LibraryFile, vars: Record<string, unknown>): string {
  const interp = file.shebang?.interpreter
  const isPython = file.style === 'new' || (interp !== undefined && basename(interp).startsWith('python'))
  if (isPython) {
    const lines = [findPython(vars, `the module ${file.name}`)]
    if (file.style === 'new') {
      lines.push(`"$py" -c 'import ansible.module_utils.basic' >/dev/null 2>&1 || { echo ${shqAlways(NO_MODULE_UTILS)} >&2; exit 1; }`)
    }
    lines.push(`"$py" "$d/m" "$d/args"`)
    return lines.join('\n')
  }
  if (file.style === 'binary' || interp === undefined) return `"$d/m" "$d/args"`
  const configured = vars[`ansible_${basename(interp)}_interpreter`]
  const command = typeof configured === 'string' && configured !== '' ? configured : interp
  return [command, ...file.shebang!.args].map(shqAlways).join(' ') + ' "$d/m" "$d/args"'
}

/**
 * The script: a private directory, the arguments (first line of stdin, base64, so secrets never reach a
 * command line) and the module (the rest of stdin) written in it, the module run, the directory removed.
 */
function script(file: LibraryFile, vars: Record<string, unknown>): string {
  return [
    'umask 077',
    'd=$(mktemp -d) || exit 1',
    "trap 'rm -rf \"$d\"' EXIT",
    'IFS= read -r a || exit 1',
    `printf '%s' "$a" | base64 -d > "$d/args" || exit 1`,
    'cat > "$d/m" || exit 1',
    'chmod 0700 "$d/m"',
    runLine(file, vars),
  ].join('\n')
}

async function run(ctx: ModuleContext, file: LibraryFile, args: Record<string, unknown>): Promise<Partial<TaskResult>> {
  if (file.style === 'ansiballz') return moduleResult(file, await runAnsiballz(ctx, file, args))
  const argsText = argumentsFile(file.style, { ...args, ...internalArgs(ctx, file.name) })
  const stdin = Buffer.concat([Buffer.from(`${Buffer.from(argsText).toString('base64')}\n`), readFileSync(file.path)])
  const r = await ctx.exec(script(file, ctx.vars), { stdin })
  return moduleResult(file, r)
}

const params = z.record(z.string(), z.unknown()).describe("Whatever the module takes: pgha passes the task's arguments on.")

const defs = new Map<string, ModuleDef>()
// One per file within a run; a run server's later runs name other files, which would pile up here.
onNewRun(() => defs.clear())

function define(file: LibraryFile): ModuleDef {
  return defineModule({
    name: file.name,
    description: file.style === 'ansiballz' ? `Ansible's module ${file.fqcn ?? file.name} (${file.path}), run through the controller's Ansible`
      : `the playbook's own module ${file.path} (${file.style === 'want_json' ? 'WANT_JSON' : file.style})`,
    params,
    library: file,
    ...(file.secretArgs?.length ? { secretArgs: file.secretArgs } : {}),
    async plan(ctx, args): Promise<Plan<undefined>> {
      // The module keeps its own check mode: run with _ansible_check_mode, it says what it would change.
      if (ctx.check) return { changes: [], result: await run(ctx, file, args) }
      return { changes: [{ description: `run ${file.path}` }], unpredictable: true }
    },
    apply: (ctx, args) => run(ctx, file, args),
  }) as ModuleDef
}

/** The module of a library file (one per file, so a task's module is the same object at load and at run). */
export function libraryModule(file: LibraryFile): ModuleDef {
  const key = `${file.path}\0${file.style}\0${file.name}\0${file.secretArgs?.join(',') ?? ''}`
  const known = defs.get(key)
  if (known) return known
  const def = define(file)
  defs.set(key, def)
  return def
}
