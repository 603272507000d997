// package (and its apt/yum aliases): installs, upgrades or removes a list of packages in one transaction,
// with the backend chosen from the host's package manager. Plans from the installed-packages fact, so
// check mode is exact (for state=latest, against the repository metadata the host already has).
import { z } from 'zod'
import { aptCacheAgeFact, aptSimulateFact, debInfoFact, hostFacts, type AptOp, type FactRead, type InstalledPackages } from '../facts/index.js'
import { PghaError } from '../errors.js'
import { defineModule, type Change, type HostFacts, type ModuleContext, type Plan, type TaskResult } from './types.js'
import { bool } from './lib/params.js'
import { optionalBool, stringList } from './lib/list-param.js'
import { absolutePathParam, packageItems } from './lib/value-kinds.js'
import { backendFor, type PackageBackend, type PackageSpec } from './lib/package-backends/index.js'
import { aptOpArgs, aptOpChanged, aptOpCommand } from './lib/package-backends/apt.js'

/** The package managers the package module drives. */
const MANAGERS = ['apt', 'dnf', 'yum'] as const

/**
 * package's `use`: the module Ansible's package action runs (auto: the one the host's pkg_mgr names), as the
 * managers pgha drives for it; yum's module runs dnf on a dnf host, as Ansible's yum action does.
 */
const USE: Record<string, readonly string[] | undefined> = { auto: undefined, apt: ['apt'], yum: ['yum', 'dnf'], dnf: ['dnf'] }

const STATES = { present: 'present', installed: 'present', latest: 'latest', absent: 'absent', removed: 'absent' } as const

/** A dpkg option without its dashes (force-confnew, path-exclude=/usr/share/doc/*): never an option of apt-get's own. */
const DPKG_OPTION = /^[a-z][a-z0-9-]*(=[^\s,]+)?$/

/** An apt release as -t takes it (a name, codename or version); never an option. */
const APT_RELEASE = /^[A-Za-z0-9][A-Za-z0-9._+~=-]*$/

/** The parameters only apt has (package takes them on apt hosts, as Ansible passes them on to apt). */
const APT_ONLY = {
  cache_valid_time: z.coerce.number().int().min(0).optional().describe('apt: update the package lists only when they are older than this many seconds (implies update_cache).'),
  force_apt_get: optionalBool('apt: use apt-get rather than aptitude; pgha always runs apt-get, so either value does the same.'),
  deb: absolutePathParam().optional().describe('apt: a .deb file on the host to install (with its dependencies), unless that version is installed.'),
  default_release: z.string().regex(APT_RELEASE, 'default_release is a release name, codename or version such as bookworm-backports').optional().describe('apt: the release packages come from (apt-get -t; state latest compares with its candidates) (alias: default-release).'),
  upgrade: z
    // YAML's yes/no arrive as booleans: Ansible maps them back onto its yes/no choices.
    .preprocess((v) => (v === true || v === 'True' ? 'yes' : v === false || v === 'False' ? 'no' : v), z.enum(['dist', 'full', 'safe', 'yes', 'no']))
    .optional()
    .describe('apt: upgrade the whole system: yes/safe (apt-get upgrade --with-new-pkgs), dist/full (apt-get dist-upgrade), no; changed only when apt-get would install or remove something. Not with name or deb.'),
  autoclean: optionalBool('apt: remove downloaded package files that can no longer be downloaded (apt-get autoclean), when there are any; with no name.'),
  clean: optionalBool('apt: empty the cache of downloaded package files (apt-get clean) first, when it holds any.'),
  only_upgrade: optionalBool('apt: upgrade the named packages that are installed and leave out those that are not (--only-upgrade).'),
  dpkg_options: z
    .string()
    .transform((v) => v.split(',').map((o) => o.trim()).filter((o) => o !== ''))
    .refine((l) => l.every((o) => DPKG_OPTION.test(o)), { message: 'dpkg_options is a comma list of dpkg options without their dashes, such as force-confdef,force-confold' })
    .optional()
    .describe("apt: the dpkg options apt-get passes (-o Dpkg::Options::=--OPTION each), a comma list (default: force-confdef,force-confold)."),
  fail_on_autoremove: optionalBool('apt: fail rather than remove packages to install or upgrade (--no-remove).'),
  policy_rc_d: z.coerce.number().int().min(0).max(255).optional().describe("apt: while apt runs, /usr/sbin/policy-rc.d exits with this code (101: packages' services are not started); the file is put back as it was."),
}
const APT_ONLY_NAMES = Object.keys(APT_ONLY) as (keyof typeof APT_ONLY)[]

/** A repository id or release version as dnf takes it glued to its flag (--enablerepo=ID). */
const RPM_WORD = /^[A-Za-z0-9][A-Za-z0-9._:*?-]*$/

/** The parameters only yum and dnf have (package takes them on yum/dnf hosts, as Ansible passes them on to dnf). */
const RPM_ONLY = {
  disable_gpg_check: optionalBool('yum/dnf: install without checking the packages\' GPG signatures (--nogpgcheck).'),
  install_weak_deps: optionalBool("dnf: install the packages' weak dependencies (Recommends) too (default: dnf's configuration, which does)."),
  exclude: stringList().superRefine(packageItems).optional().describe('yum/dnf: package names (globs) the transaction must not touch (--exclude).'),
  skip_broken: optionalBool('yum/dnf: skip packages whose dependencies cannot be met (--skip-broken).'),
  allowerasing: optionalBool('dnf: allow erasing installed packages to resolve dependencies (--allowerasing).'),
  nobest: optionalBool('dnf: do not insist on the best version of each package (--nobest).'),
  releasever: z.string().regex(RPM_WORD, 'releasever is a release version such as 9 or 9.3').optional().describe('yum/dnf: the release version to resolve $releasever with (--releasever).'),
}
const RPM_ONLY_NAMES = Object.keys(RPM_ONLY) as (keyof typeof RPM_ONLY)[]
/** Those of them yum (EL 7) does not know. */
const DNF_ONLY_NAMES = ['install_weak_deps', 'allowerasing', 'nobest'] as const

const params = z
  .object({
    name: stringList().superRefine(packageItems).optional().describe("Package name(s): a string, a comma list or a list. apt takes pins 'name=1.2*' and virtual names."),
    pkg: stringList().superRefine(packageItems).optional().describe('Alias of name.'),
    state: z.enum(['present', 'installed', 'latest', 'absent', 'removed']).default('present').describe('present/installed, latest (upgrade to the repository version), absent/removed.'),
    update_cache: bool(false, 'Refresh the package lists first (apt-get update; yum clean expire-cache). With names, only when something is to be installed.'),
    install_recommends: optionalBool("apt: install recommended packages (default: apt's configuration, which installs them)."),
    purge: bool(false, 'apt: also remove configuration files when removing.'),
    autoremove: bool(false, 'Also remove the dependencies nobody needs any more when removing (apt --auto-remove; dnf/yum clean_requirements_on_remove).'),
    allow_downgrade: bool(false, "apt: a pinned version lower than the installed one may replace it (apt-get --allow-downgrades); without it apt-get refuses the downgrade and the task fails, as in Ansible. yum and dnf take it too; pgha leaves a downgrade to them as they do it (dnf downgrades to an exact version, yum does not) (aliases: allow-downgrade, allow_downgrades, allow-downgrades)."),
    use: z
      .string()
      .superRefine((u, ctx) => {
        if (!Object.hasOwn(USE, u)) ctx.addIssue({ code: 'custom', message: `'${u}' names a package manager pgha does not drive (use ${Object.keys(USE).join(', ')})` })
      })
      .optional()
      .describe(`The package module only: the package manager's module to run (${Object.keys(USE).join(', ')}); auto: the host's.`),
    enablerepo: stringList().default([]).describe('yum/dnf: repositories to enable for this transaction.'),
    disablerepo: stringList().default([]).describe('yum/dnf: repositories to disable for this transaction.'),
    ...APT_ONLY,
    ...RPM_ONLY,
  })
  .strict()
  .transform((p) => ({ ...p, names: [...(p.name ?? []), ...(p.pkg ?? [])], state: STATES[p.state], update_cache: p.update_cache || p.cache_valid_time !== undefined }))
  .refine((p) => p.names.length > 0 || p.update_cache || p.deb !== undefined || p.upgrade !== undefined || systemWide(p), { message: 'name is required (unless only update_cache, upgrade, autoremove, autoclean or clean is asked, or deb)' })
  .refine((p) => !upgrades(p) || (p.names.length === 0 && p.deb === undefined), { message: 'upgrade, name and deb are exclusive' })
  .refine((p) => p.deb === undefined || (p.names.length === 0 && p.state === 'present'), { message: 'deb installs one .deb file: not with name, and only with state present' })

type Params = z.output<typeof params>

const upgrades = (p: { upgrade?: string }): boolean => p.upgrade !== undefined && p.upgrade !== 'no'
/** The whole-system operations a task without names may ask (apt's; autoremove is removal's option with names). */
const systemWide = (p: { upgrade?: string; autoremove: boolean; autoclean?: boolean; clean?: boolean }): boolean => upgrades(p) || p.autoremove || !!p.autoclean || !!p.clean

/** What a change asks of the package manager; apply runs them all as one transaction. */
interface PackageData {
  action: 'install' | 'remove' | 'refresh' | 'system'
  specs: string[]
  /** For action system: apt's operation. */
  op?: AptOp
  /** Refresh the package lists first (update_cache, and with cache_valid_time only when they are older). */
  refresh?: boolean
  /** For a deb: the package it holds, which apply checks is installed afterwards. */
  deb?: { name: string; version: string }
}

/** Builds the package module for the given package managers (all when undefined). */
export function packageModule(name: string, description: string, allowed?: readonly string[], aliases?: Readonly<Record<string, string>>) {
  const backendOf = async (ctx: ModuleContext, use?: string) => {
    const facts = await ctx.fact(hostFacts, {})
    const wanted = use === undefined ? undefined : USE[use]
    if (wanted && !wanted.includes(facts.pkg_mgr)) throw new PghaError('task', `use ${use} runs ${wanted.join(' or ')}, but ${ctx.host} uses ${facts.pkg_mgr}`)
    return backendFor(facts, ctx.host, allowed)
  }
  // yum and dnf never take apt's parameters, nor apt yum's; package refuses them in plan, on a host of the other kind.
  const own = allowed ? params.refine((p) => p.use === undefined, { message: 'use is a parameter of the package module' }) : params
  const schema = allowed && !allowed.includes('apt')
    ? own.refine((p) => onlyGiven(p, APT_ONLY_NAMES).length === 0, { message: `${APT_ONLY_NAMES.join(', ')} are apt's parameters` })
    : allowed
      ? own.refine((p) => onlyGiven(p, RPM_ONLY_NAMES).length === 0, { message: `${RPM_ONLY_NAMES.join(', ')} are yum's and dnf's parameters` })
      : own
  return defineModule({
    name,
    description,
    aliases,
    params: schema,
    // What is installed, by the package manager the gathered facts name. Before they are gathered (in the
    // round trip that gathers them, or in a play that does not), the host's facts and what each manager
    // this module may use has installed: the read of a manager the host lacks finds nothing, and no plan
    // uses it.
    reads(p, gathered) {
      // A whole-system operation on a known apt host: its simulations (after a cache update, none is read).
      if (p.names.length === 0) return gathered?.pkg_mgr === 'apt' && !p.update_cache && p.deb === undefined ? systemReads(p) : []
      // state=latest on a converged host: every name unpinned is installed, and its candidate is read.
      const installed = (b: PackageBackend): FactRead[] => {
        const specs = p.names.map((s) => b.parseSpec(s))
        const latest = p.state === 'latest' ? b.upgradesRead?.(specs.filter((s) => !s.pin).map((s) => s.name), p) : undefined
        return [b.installedRead(specs.map((s) => s.name)), ...(latest ? [latest] : [])]
      }
      if (gathered?.pkg_mgr !== undefined) return [knownBackend(gathered as HostFacts, allowed) ?? []].flat().flatMap(installed)
      const each = (allowed ?? MANAGERS).flatMap((mgr) => knownBackend({ pkg_mgr: mgr } as HostFacts, allowed) ?? [])
      return [{ def: hostFacts, args: {} }, ...each.flatMap(installed)]
    },
    async plan(ctx, p): Promise<Plan<PackageData>> {
      const backend = await backendOf(ctx, p.use)
      const other = onlyGiven(p, backend.mgr === 'apt' ? RPM_ONLY_NAMES : APT_ONLY_NAMES)
      if (other.length > 0) throw new PghaError('task', `${other.join(', ')} ${other.length > 1 ? 'are' : 'is'} for ${backend.mgr === 'apt' ? 'yum and dnf' : 'apt'}, and ${ctx.host} uses ${backend.mgr}`)
      const dnfOnly = backend.mgr === 'yum' ? onlyGiven(p, DNF_ONLY_NAMES) : []
      if (dnfOnly.length > 0) throw new PghaError('task', `${dnfOnly.join(', ')} ${dnfOnly.length > 1 ? 'are' : 'is'} for dnf, and ${ctx.host} uses yum`)
      const refresh = p.update_cache && (await cacheStale(ctx, p.cache_valid_time))
      const clean = p.clean ? await planAptOps(ctx, p, ['clean'], false) : []
      if (p.deb !== undefined) return { changes: [...clean, ...(await planDeb(ctx, backend, p.deb, refresh))] }
      if (p.names.length === 0) {
        if (systemWide(p) && backend.mgr !== 'apt') throw new PghaError('task', `upgrade, autoclean, clean and autoremove without name are for apt, and ${ctx.host} uses ${backend.mgr}`)
        const refreshing: Change<PackageData>[] = refresh ? [{ description: 'update the package cache', data: { action: 'refresh', specs: [] } }] : []
        return { changes: [...clean, ...refreshing, ...(await planAptOps(ctx, p, systemOps(p), refresh))] }
      }
      return { changes: [...clean, ...(await planPackages(ctx, backend, p)).map((c) => ({ ...c, data: { ...c.data, refresh } }))] }
    },
    async apply(ctx, p, plan) {
      return applyPackages(ctx, await backendOf(ctx, p.use), p, plan.changes.map((c) => c.data))
    },
  })
}

/** The operations after the cache update of a task without names, in Ansible's order: upgrade, autoclean, autoremove. */
function systemOps(p: Params): AptOp[] {
  const up: AptOp[] = !upgrades(p) ? [] : p.upgrade === 'dist' || p.upgrade === 'full' ? ['dist-upgrade'] : ['upgrade']
  return [...up, ...(p.autoclean ? ['autoclean' as const] : []), ...(p.autoremove ? ['autoremove' as const] : [])]
}

/** The simulations a task without names plans from, as planAptOps reads them. */
function systemReads(p: Params): FactRead[] {
  return [...(p.clean ? ['clean' as const] : []), ...systemOps(p)].map((op) => ({ def: aptSimulateFact, args: aptOpArgs(op, p) }))
}

/**
 * A change for each operation apt-get's simulation says would do something. After a cache update the lists
 * are not those the simulation would read: the operation is then planned, and apply reports whether it did anything.
 */
async function planAptOps(ctx: ModuleContext, p: Params, ops: AptOp[], afterRefresh: boolean): Promise<Change<PackageData>[]> {
  const changes: Change<PackageData>[] = []
  for (const op of ops) {
    const data: PackageData = { action: 'system', specs: [], op }
    if (afterRefresh && op !== 'clean') {
      changes.push({ description: `${op} after updating the package cache`, data })
      continue
    }
    const would = await ctx.fact(aptSimulateFact, aptOpArgs(op, p))
    if (would.length === 0) continue
    const shown = would.slice(0, 10).join(', ') + (would.length > 10 ? `, and ${would.length - 10} more` : '')
    changes.push({ description: `${op}: ${shown}`, data })
  }
  return changes
}

const onlyGiven = (p: Params, names: readonly (keyof Params)[]): string[] => names.filter((k) => p[k] !== undefined) as string[]

/** Whether the package lists need the refresh update_cache asks for: always, unless cache_valid_time says they are recent. */
async function cacheStale(ctx: ModuleContext, validFor: number | undefined): Promise<boolean> {
  if (validFor === undefined) return true
  const age = await ctx.fact(aptCacheAgeFact, {})
  return age === null || age > validFor
}

/** A .deb on the host: installed unless dpkg already has that package at that version. */
async function planDeb(ctx: ModuleContext, backend: PackageBackend, path: string, refresh: boolean): Promise<Change<PackageData>[]> {
  const deb = await ctx.fact(debInfoFact, { path })
  if (!deb) throw new PghaError('task', `${path} is not a .deb file dpkg-deb can read on ${ctx.host}`)
  const installed = await backend.installed(ctx, [deb.name])
  if (installed.versions[deb.name] === deb.version) return []
  return [{ description: `install ${path} (${deb.name} ${deb.version})`, data: { action: 'install', specs: [path], refresh, deb } }]
}

async function planPackages(ctx: ModuleContext, backend: PackageBackend, p: Params): Promise<Change<PackageData>[]> {
  const specs = p.names.map((s) => backend.parseSpec(s))
  const installed = await backend.installed(ctx, specs.map((s) => s.name))
  if (p.state === 'absent') {
    // Only packages installed under that very name: removing a virtual name's provider is too surprising.
    const remove = specs.filter((s) => installed.versions[s.name] !== undefined).map((s) => s.spec)
    return remove.length ? [{ description: `remove ${remove.join(', ')}`, data: { action: 'remove', specs: remove } }] : []
  }
  // only_upgrade: a package that is not installed is left out, not installed.
  const missing = specs.filter((s) => !satisfied(s, installed) && !(p.only_upgrade && installed.versions[s.name] === undefined))
  const current = specs.filter((s) => !s.pin && satisfied(s, installed)).map((s) => s.name)
  const upgrades = p.state === 'latest' && current.length ? await backend.upgrades(ctx, current, installed, p) : {}
  const changes: Change<PackageData>[] = []
  if (missing.length) {
    const specsText = missing.map((s) => s.spec)
    changes.push({ description: `install ${specsText.join(', ')}`, data: { action: 'install', specs: specsText } })
  }
  const names = Object.keys(upgrades)
  if (names.length) {
    const text = names.map((n) => `${n} (${installed.versions[n] ?? 'installed'} -> ${upgrades[n]})`).join(', ')
    changes.push({ description: `upgrade ${text}`, data: { action: 'install', specs: names } })
  }
  return changes
}

/** The host's package manager backend, or undefined when it has none this module can use. */
function knownBackend(facts: HostFacts, allowed?: readonly string[]): PackageBackend | undefined {
  try {
    return backendFor(facts, '', allowed)
  } catch {
    return undefined
  }
}

/** Installed directly or through a provider, at the pinned version when there is a pin. */
function satisfied(s: PackageSpec, installed: InstalledPackages): boolean {
  const version = installed.versions[s.name]
  if (s.pin !== undefined) return version !== undefined && pinMatches(version, s.pin)
  return version !== undefined || (installed.provides[s.name]?.length ?? 0) > 0
}

/** apt pins: exact version, or a prefix ending in `*`. */
function pinMatches(version: string, pin: string): boolean {
  return pin.endsWith('*') ? version.startsWith(pin.slice(0, -1)) : version === pin
}

async function applyPackages(ctx: ModuleContext, backend: PackageBackend, p: Params, data: PackageData[]): Promise<Partial<TaskResult>> {
  const out: string[] = []
  const err: string[] = []
  const run = async (command: string): Promise<Partial<TaskResult> | undefined> => {
    const r = await ctx.exec(command)
    // What apt-get would do next (a later task's upgrade, autoclean or clean) is no longer what was read.
    ctx.invalidate(aptSimulateFact)
    out.push(r.stdout)
    err.push(r.stderr)
    if (r.rc !== 0) return { ...outputs(out, err), failed: true, rc: r.rc, msg: `'${command}' failed: ${lastLine(r.stderr || r.stdout)}` }
  }
  // apt-get clean first, as Ansible's apt runs it before the cache update.
  if (data.some((d) => d.op === 'clean')) {
    const failed = await run(aptOpCommand('clean', p))
    if (failed) return failed
  }
  const refresh = data.some((d) => d.action === 'refresh' || d.refresh)
  if (refresh) {
    const failed = await run(backend.refreshCommand())
    if (failed) return failed
  }
  const system = data.filter((d) => d.action === 'system' && d.op !== 'clean')
  if (system.length > 0) {
    // Changed when the cache was cleaned, or some operation did something (as apt-get's output tells Ansible).
    let changed = data.some((d) => d.op === 'clean')
    for (const { op } of system) {
      const before = out.length
      const failed = await run(aptOpCommand(op!, p))
      if (failed) return failed
      changed ||= aptOpChanged(op!, out.slice(before).join(''))
    }
    backend.invalidate(ctx)
    return { ...outputs(out, err), rc: 0, changed, cache_updated: refresh }
  }
  // One transaction: present and latest both go through install.
  const action = data.find((d) => d.action === 'install' || d.action === 'remove')?.action as 'install' | 'remove' | undefined
  if (action) {
    const failed = await run(backend.command(action, data.flatMap((d) => d.specs), p))
    if (failed) return failed
    backend.invalidate(ctx)
    const deb = data.find((d) => d.deb)?.deb
    const missed = deb ? await verifyDeb(ctx, backend, deb) : await verify(ctx, backend, p, data.flatMap((d) => d.specs))
    if (missed) return { ...outputs(out, err), failed: true, rc: 0, msg: missed }
  }
  return { ...outputs(out, err), rc: 0, cache_updated: refresh }
}

/** yum exits 0 when only some names were found: re-read the fact to be sure each package is there (or gone). */
async function verify(ctx: ModuleContext, backend: PackageBackend, p: Params, specs: string[]): Promise<string | undefined> {
  const parsed = specs.map((s) => backend.parseSpec(s))
  const installed = await backend.installed(ctx, p.names.map((s) => backend.parseSpec(s).name))
  const wrong = parsed.filter((s) => (p.state === 'absent' ? installed.versions[s.name] !== undefined : !satisfied(s, installed)))
  if (wrong.length === 0) return undefined
  const names = wrong.map((s) => s.spec).join(', ')
  return p.state === 'absent' ? `failed to remove ${names}` : `no package matching ${names} found available on ${ctx.host}`
}

async function verifyDeb(ctx: ModuleContext, backend: PackageBackend, deb: { name: string; version: string }): Promise<string | undefined> {
  const installed = await backend.installed(ctx, [deb.name])
  return installed.versions[deb.name] === deb.version ? undefined : `${deb.name} ${deb.version} is not installed after installing ${deb.name}'s .deb`
}

/** The outputs of a module's commands as one result: stdout/stderr and their lines, trailing newlines dropped. */
export function outputs(out: string[], err: string[]) {
  const stdout = out.join('').replace(/\n+$/, '')
  const stderr = err.join('').replace(/\n+$/, '')
  return { stdout, stderr, stdout_lines: stdout ? stdout.split('\n') : [], stderr_lines: stderr ? stderr.split('\n') : [] }
}

const lastLine = (s: string) => s.trim().split('\n').pop() ?? ''

export default packageModule('package', 'Install, upgrade or remove packages with the host’s package manager (apt, yum, dnf).')
