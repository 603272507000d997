// apt: dpkg's database for what is installed, apt-cache policy for candidates, apt-get for changes.
// Debconf never prompts and changed conffiles keep the admin's version (confdef/confold), as Ansible's apt does.
import { PghaError } from '../../../errors.js'
import { aptCandidatesFact, aptInstalledFact } from '../../../facts/index.js'
import { commandLine, type Flag } from '../../../shell/index.js'
import type { PackageBackend } from './types.js'

const APT_GET = 'DEBIAN_FRONTEND=noninteractive apt-get -y -q -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold'

export const aptBackend: PackageBackend = {
  mgr: 'apt',
  parseSpec(spec) {
    const eq = spec.indexOf('=')
    const base = eq < 0 ? spec : spec.slice(0, eq)
    return { spec, name: base.replace(/:[a-z0-9]+$/, ''), pin: eq < 0 ? undefined : spec.slice(eq + 1) }
  },
  installed: (ctx) => ctx.fact(aptInstalledFact, {}),
  installedRead: () => ({ def: aptInstalledFact, args: {} }),
  async upgrades(ctx, names, installed) {
    const candidates = await ctx.fact(aptCandidatesFact, { names })
    const out: Record<string, string> = {}
    for (const name of names) {
      const candidate = candidates[name]
      if (candidate === null || candidate === undefined) {
        throw new PghaError('task', `no package matching '${name}' is available on ${ctx.host}`)
      }
      if (candidate !== installed.versions[name]) out[name] = candidate
    }
    return out
  },
  invalidate: (ctx) => ctx.invalidate(aptInstalledFact),
  refreshCommand: () => 'apt-get -q update',
  command(action, specs, o) {
    const flags: Flag[] = []
    if (action === 'install' && o.install_recommends !== undefined) {
      flags.push(o.install_recommends ? ['-o', 'APT::Install-Recommends=true'] : '--no-install-recommends')
    }
    if (action === 'remove' && o.purge) flags.push('--purge')
    if (action === 'remove' && o.autoremove) flags.push('--auto-remove')
    // Pins may downgrade, as the user asked for that exact version.
    if (action === 'install' && specs.some((s) => s.includes('='))) flags.push('--allow-downgrades')
    return commandLine(APT_GET, [...flags, action], specs)
  },
}
