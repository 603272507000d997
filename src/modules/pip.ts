// pip (ansible.builtin.pip): Python packages in the system's python3, a virtualenv (created when missing) or
// through a given pip executable. Planned from one `pip list --format=json` (and, for state=latest, `pip list
// --outdated`), with the version specifiers checked as pip checks them, so check mode is exact for names; a
// requirements file is handed to pip, and whether it changed anything is read from the list after.
import { z } from 'zod'
import { PghaError } from '../errors.js'
import { fileFact, normalizePipName, pipListFact, pipOutdatedFact, type PipArgs, type PipPackages } from '../facts/index.js'
import { shq } from '../shell/index.js'
import { defineModule, type Change, type ModuleContext, type TaskResult } from './types.js'
import { bool } from './lib/params.js'
import { hostPathParam } from './lib/value-kinds.js'
import { parseRequirement, satisfies } from './lib/pep440.js'
import { outputs } from './package.js'

/** A wheel file on the host: its name and version are in its file name (PEP 427). */
const WHEEL = /^\/(?:[^/\0\n]+\/)*([A-Za-z0-9_.]+)-([A-Za-z0-9_.!+]+)(?:-\d[^-]*)?-[^-/]+-[^-/]+-[^-/]+\.whl$/

/** A name as Ansible's pip recovers it from its list: `django>1.11,<2` split on the comma is one requirement. */
const namesParam = z.union([z.string(), z.array(z.union([z.string(), z.number()]).transform(String))]).transform((v) => {
  const pieces = (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean)
  const out: string[] = []
  for (const piece of pieces) {
    if (out.length > 0 && /^(===|==|!=|~=|>=|<=|>|<)/.test(piece)) out[out.length - 1] += `,${piece}`
    else out.push(piece)
  }
  return out
}).superRefine((list, ctx) => {
  list.forEach((item, i) => {
    if (WHEEL.test(item)) return
    const r = parseRequirement(item)
    if (typeof r === 'string') ctx.addIssue({ code: 'custom', path: [i], message: `${JSON.stringify(item)} is not a requirement pgha reads: ${r} (or the absolute path of a .whl file)` })
  })
})

/** pip's options extra_args may carry: those with a value take it glued (--index-url=URL) or as the next word. */
const EXTRA_FLAGS = new Set(['--no-index', '--pre', '--user', '--no-deps', '--no-cache-dir', '--break-system-packages', '--ignore-installed', '--no-build-isolation', '--prefer-binary', '--upgrade'])
const EXTRA_VALUED = new Set(['--index-url', '-i', '--extra-index-url', '--find-links', '-f', '--trusted-host', '--upgrade-strategy', '--constraint', '-c', '--timeout', '--retries', '--proxy', '--only-binary', '--no-binary'])

/** extra_args as separate words, or why one is refused. */
export function extraArgs(text: string): string[] | string {
  const words = text.trim().split(/\s+/).filter(Boolean)
  const out: string[] = []
  for (let i = 0; i < words.length; i++) {
    const w = words[i]
    const [flag, glued] = w.startsWith('--') && w.includes('=') ? [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)] : [w, undefined]
    if (EXTRA_FLAGS.has(flag) && glued === undefined) out.push(flag)
    else if (EXTRA_VALUED.has(flag)) {
      const value = glued ?? words[++i]
      if (value === undefined || value === '' || value.startsWith('-')) return `${flag} needs a value`
      out.push(flag, value)
    } else return `pgha passes on only these pip options: ${[...EXTRA_FLAGS, ...EXTRA_VALUED].join(', ')}; got '${w}'`
  }
  return out
}

/** virtualenv_command: a program and its fixed words (`python3 -m venv`, `/usr/bin/virtualenv`). */
const COMMAND_WORDS = /^[A-Za-z0-9_./][A-Za-z0-9_./=-]*(?: +[A-Za-z0-9_./-][A-Za-z0-9_./=-]*)*$/

const params = z
  .object({
    name: namesParam.optional().describe('Packages, each with optional version specifiers (django>=4.2,<5), or the path of a .whl on the host.'),
    version: z.string().regex(/^[A-Za-z0-9.*+!_-]+$/, 'version is a version such as 1.4.2').optional().describe('The version to install (name==version); with a single name only.'),
    requirements: hostPathParam().optional().describe('A requirements file on the host (relative to chdir).'),
    virtualenv: hostPathParam().optional().describe('Install into this virtualenv, created with virtualenv_command when missing.'),
    virtualenv_command: z.string().regex(COMMAND_WORDS, 'virtualenv_command is a program and its words, such as "python3 -m venv"').default('virtualenv').describe('The command that creates the virtualenv.'),
    virtualenv_python: z.string().regex(/^[A-Za-z0-9_./][A-Za-z0-9_./-]*$/, 'virtualenv_python is a python executable').optional().describe("The python the virtualenv is created for (virtualenv's -p)."),
    virtualenv_site_packages: bool(false, 'Let the virtualenv see the system site-packages.'),
    executable: hostPathParam().optional().describe('The pip to run (pip3, /opt/x/bin/pip) instead of python3 -m pip; not with virtualenv.'),
    state: z.enum(['present', 'latest', 'absent', 'forcereinstall']).default('present').describe('present, latest (upgrade to the index version), absent, forcereinstall.'),
    extra_args: z.string().superRefine((v, ctx) => {
      const r = extraArgs(v)
      if (typeof r === 'string') ctx.addIssue({ code: 'custom', message: r })
    }).optional().describe('pip options: an index (--index-url, --extra-index-url, --find-links, --no-index, --trusted-host), --pre, --user, --no-deps and a few more; others are refused.'),
    chdir: hostPathParam().optional().describe('Run pip in this directory.'),
  })
  .strict()
  .superRefine((p, ctx) => {
    const issue = (message: string) => ctx.addIssue({ code: 'custom', message })
    if ((p.name === undefined) === (p.requirements === undefined)) issue('give one of name and requirements')
    if (p.version !== undefined && (p.name?.length ?? 0) !== 1) issue('version goes with a single name')
    if (p.virtualenv !== undefined && p.executable !== undefined) issue('executable and virtualenv are mutually exclusive')
    if (p.virtualenv_python !== undefined && /(^| )-m venv( |$)/.test(p.virtualenv_command)) issue('virtualenv_python should not be used when using the venv module or pyvenv as virtualenv_command')
  })

type Params = z.output<typeof params>

/** A requested package: the argument pip gets, the name it is listed under, and what its version must satisfy. */
interface Wanted {
  arg: string
  name: string
  ok: (version: string) => boolean
}

function wantedOf(p: Params): Wanted[] {
  return (p.name ?? []).map((text) => {
    const wheel = WHEEL.exec(text)
    if (wheel) return { arg: text, name: normalizePipName(wheel[1]), ok: (v: string) => v === wheel[2] }
    const r = parseRequirement(p.version === undefined ? text : `${text}==${p.version}`)
    if (typeof r === 'string') throw new PghaError('task', r)
    return { arg: r.text, name: normalizePipName(r.name), ok: (v: string) => satisfies(v, r.clauses) }
  })
}

const inDir = (p: Params, path: string): string => (p.chdir && !path.startsWith('/') ? `${p.chdir}/${path}` : path)
const pipArgs = (p: Params): PipArgs => ({
  pip: p.virtualenv !== undefined ? `${shq(p.virtualenv)}/bin/python -m pip` : p.executable !== undefined ? shq(p.executable) : 'python3 -m pip',
  chdir: p.chdir === undefined ? undefined : shq(p.chdir),
})
const venvPython = (p: Params) => ({ path: `${inDir(p, p.virtualenv!)}/bin/python`, follow: true })

/** `pip install|uninstall ... -- ARGS` in chdir. */
function pipCommand(p: Params, words: string[], operands: string[]): string {
  const a = pipArgs(p)
  const extra = p.extra_args === undefined || words[0] === 'uninstall' ? [] : (extraArgs(p.extra_args) as string[])
  const line = [a.pip, ...words, '--disable-pip-version-check', '--no-input', ...extra.map(shq), '--', ...operands.map(shq)].join(' ')
  return a.chdir ? `cd ${a.chdir} && ${line}` : line
}

function venvCommand(p: Params): string {
  const flags = [p.virtualenv_site_packages ? '--system-site-packages' : '', p.virtualenv_python ? `-p ${shq(p.virtualenv_python)}` : ''].filter(Boolean)
  const line = [p.virtualenv_command, ...flags, '--', shq(p.virtualenv!)].join(' ')
  return p.chdir ? `cd ${shq(p.chdir)} && ${line}` : line
}

type PipData = { command: string }

export default defineModule({
  name: 'pip',
  description: 'Install, upgrade or remove Python packages with pip, in the system python, a virtualenv or through a given pip.',
  params,
  reads: (p) => [...(p.virtualenv !== undefined ? [{ def: fileFact, args: venvPython(p) }] : []), { def: pipListFact, args: pipArgs(p) }],
  async plan(ctx, p) {
    const changes: Change<PipData>[] = []
    const fresh = p.virtualenv !== undefined && !(await ctx.fact(fileFact, venvPython(p))).exists
    if (fresh) changes.push({ description: `create the virtualenv ${p.virtualenv}`, data: { command: venvCommand(p) } })
    const installed = fresh ? {} : await listed(ctx, p)
    const upgrade = p.state === 'latest' ? ['-U'] : []
    if (p.requirements !== undefined) {
      const words = ['install', ...upgrade, ...(p.state === 'forcereinstall' ? ['-U', '--force-reinstall'] : [])]
      if (p.state === 'absent') changes.push({ description: `uninstall what ${p.requirements} lists`, data: { command: pipCommand(p, ['uninstall', '-y', '-r', shq(p.requirements)], []) } })
      else changes.push({ description: `install what ${p.requirements} lists`, data: { command: pipCommand(p, [...words, '-r', shq(p.requirements)], []) } })
      // What pip makes of a requirements file shows only after it ran (Ansible reports changed in check mode too).
      return { changes, unpredictable: true }
    }
    const wanted = wantedOf(p)
    if (p.state === 'absent') {
      const remove = wanted.filter((w) => installed[w.name] !== undefined).map((w) => w.name)
      if (remove.length) changes.push({ description: `uninstall ${remove.join(', ')}`, data: { command: pipCommand(p, ['uninstall', '-y'], remove) } })
      return changes
    }
    if (p.state === 'forcereinstall') {
      changes.push({ description: `reinstall ${wanted.map((w) => w.arg).join(', ')}`, data: { command: pipCommand(p, ['install', '-U', '--force-reinstall'], wanted.map((w) => w.arg)) } })
      return changes
    }
    const missing = wanted.filter((w) => installed[w.name] === undefined || !w.ok(installed[w.name]))
    const current = wanted.filter((w) => !missing.includes(w) && !w.arg.startsWith('/'))
    const outdated = p.state === 'latest' && current.length > 0 ? await ctx.fact(pipOutdatedFact, pipArgs(p)) : {}
    if (outdated === null) throw new PghaError('task', `${pipArgs(p).pip} list --outdated failed on ${ctx.host}: the package index cannot be read`)
    const upgrades = current.filter((w) => outdated[w.name] !== undefined && w.ok(outdated[w.name]))
    if (missing.length) changes.push({ description: `install ${missing.map((w) => w.arg).join(', ')}`, data: { command: pipCommand(p, ['install', ...upgrade], missing.map((w) => w.arg)) } })
    if (upgrades.length) {
      const text = upgrades.map((w) => `${w.name} (${installed[w.name]} -> ${outdated[w.name]})`).join(', ')
      changes.push({ description: `upgrade ${text}`, data: { command: pipCommand(p, ['install', '-U'], upgrades.map((w) => w.arg)) } })
    }
    return changes
  },
  async apply(ctx, p, plan) {
    const before = p.requirements !== undefined && !plan.changes.some((c) => c.description.startsWith('create')) ? await listed(ctx, p) : undefined
    const out: string[] = []
    const err: string[] = []
    let cmd = ''
    for (const { data } of plan.changes) {
      cmd = data.command
      const r = await ctx.exec(data.command)
      out.push(r.stdout)
      err.push(r.stderr)
      if (r.rc !== 0) return { ...outputs(out, err), cmd, failed: true, rc: r.rc, msg: `stdout: ${r.stdout.trim()}\n\n:stderr: ${r.stderr.trim()}` }
    }
    ctx.invalidate(pipListFact)
    ctx.invalidate(pipOutdatedFact)
    ctx.invalidate(fileFact)
    const result: Partial<TaskResult> = { ...outputs(out, err), cmd }
    // A requirements file changed something only when the list of installed packages differs after it.
    if (before !== undefined) result.changed = JSON.stringify(sorted(before)) !== JSON.stringify(sorted(await listed(ctx, p)))
    return result
  },
})

async function listed(ctx: ModuleContext, p: Params): Promise<Record<string, string>> {
  const list: PipPackages = await ctx.fact(pipListFact, pipArgs(p))
  if (list === null) throw new PghaError('task', `'${pipArgs(p).pip} list' cannot run on ${ctx.host}: is pip installed for that python?`)
  return list
}

const sorted = (o: Record<string, string>) => Object.entries(o).sort(([a], [b]) => a.localeCompare(b))
