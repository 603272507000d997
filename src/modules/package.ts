// package (and its apt/yum aliases): installs, upgrades or removes a list of packages in one transaction,
// with the backend chosen from the host's package manager. Plans from the installed-packages fact, so
// check mode is exact (for state=latest, against the repository metadata the host already has).
import { z } from 'zod'
import { hostFacts, type InstalledPackages } from '../facts/index.js'
import { defineModule, type Change, type ModuleContext, type Plan, type TaskResult } from './types.js'
import { bool } from './lib/params.js'
import { optionalBool, stringList } from './lib/list-param.js'
import { packageItems } from './lib/value-kinds.js'
import { backendFor, type PackageBackend, type PackageSpec } from './lib/package-backends/index.js'

const STATES = { present: 'present', installed: 'present', latest: 'latest', absent: 'absent', removed: 'absent' } as const

const params = z
  .object({
    name: stringList().superRefine(packageItems).optional().describe("Package name(s): a string, a comma list or a list. apt takes pins 'name=1.2*' and virtual names."),
    pkg: stringList().superRefine(packageItems).optional().describe('Alias of name.'),
    state: z.enum(['present', 'installed', 'latest', 'absent', 'removed']).default('present').describe('present/installed, latest (upgrade to the repository version), absent/removed.'),
    update_cache: bool(false, 'Refresh the package lists first (apt-get update; yum clean expire-cache). With names, only when something is to be installed.'),
    install_recommends: optionalBool("apt: install recommended packages (default: apt's configuration, which installs them)."),
    purge: bool(false, 'apt: also remove configuration files when removing.'),
    autoremove: bool(false, 'apt: also remove dependencies nobody needs any more when removing.'),
    enablerepo: stringList().default([]).describe('yum/dnf: repositories to enable for this transaction.'),
    disablerepo: stringList().default([]).describe('yum/dnf: repositories to disable for this transaction.'),
  })
  .strict()
  .transform((p) => ({ ...p, names: [...(p.name ?? []), ...(p.pkg ?? [])], state: STATES[p.state] }))
  .refine((p) => p.names.length > 0 || p.update_cache, { message: 'name is required (unless only update_cache is asked)' })

type Params = z.output<typeof params>

/** What a change asks of the package manager; apply runs them all as one transaction. */
interface PackageData {
  action: 'install' | 'remove' | 'refresh'
  specs: string[]
}

/** Builds the package module for the given package managers (all when undefined). */
export function packageModule(name: string, description: string, allowed?: readonly string[], aliases?: Readonly<Record<string, string>>) {
  const backendOf = async (ctx: ModuleContext) => backendFor(await ctx.fact(hostFacts, {}), ctx.host, allowed)
  return defineModule({
    name,
    description,
    aliases,
    params,
    async plan(ctx, p): Promise<Plan<PackageData>> {
      const backend = await backendOf(ctx)
      if (p.names.length === 0) return { changes: [{ description: 'update the package cache', data: { action: 'refresh', specs: [] } }] }
      return { changes: await planPackages(ctx, backend, p) }
    },
    async apply(ctx, p, plan) {
      return applyPackages(ctx, await backendOf(ctx), p, plan.changes.map((c) => c.data))
    },
  })
}

async function planPackages(ctx: ModuleContext, backend: PackageBackend, p: Params): Promise<Change<PackageData>[]> {
  const specs = p.names.map((s) => backend.parseSpec(s))
  const installed = await backend.installed(ctx, specs.map((s) => s.name))
  if (p.state === 'absent') {
    // Only packages installed under that very name: removing a virtual name's provider is too surprising.
    const remove = specs.filter((s) => installed.versions[s.name] !== undefined).map((s) => s.spec)
    return remove.length ? [{ description: `remove ${remove.join(', ')}`, data: { action: 'remove', specs: remove } }] : []
  }
  const missing = specs.filter((s) => !satisfied(s, installed))
  const current = specs.filter((s) => !s.pin && !missing.includes(s)).map((s) => s.name)
  const upgrades = p.state === 'latest' && current.length ? await backend.upgrades(ctx, current, installed) : {}
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
    out.push(r.stdout)
    err.push(r.stderr)
    if (r.rc !== 0) return { ...outputs(out, err), failed: true, rc: r.rc, msg: `'${command}' failed: ${lastLine(r.stderr || r.stdout)}` }
  }
  const refresh = p.update_cache || data.some((d) => d.action === 'refresh')
  if (refresh) {
    const failed = await run(backend.refreshCommand())
    if (failed) return failed
  }
  // One transaction: present and latest both go through install.
  const action = data.find((d) => d.action !== 'refresh')?.action as 'install' | 'remove' | undefined
  if (action) {
    const failed = await run(backend.command(action, data.flatMap((d) => d.specs), p))
    if (failed) return failed
    backend.invalidate(ctx)
    const missed = await verify(ctx, backend, p, data.flatMap((d) => d.specs))
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

function outputs(out: string[], err: string[]) {
  const stdout = out.join('').replace(/\n+$/, '')
  const stderr = err.join('').replace(/\n+$/, '')
  return { stdout, stderr, stdout_lines: stdout ? stdout.split('\n') : [], stderr_lines: stderr ? stderr.split('\n') : [] }
}

const lastLine = (s: string) => s.trim().split('\n').pop() ?? ''

export default packageModule('package', 'Install, upgrade or remove packages with the host’s package manager (apt, yum, dnf).')
