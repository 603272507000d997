// yum (CentOS 7) and dnf: rpm's database for what is installed, check-update for state=latest.
// `yum install` of an installed, outdated package upgrades it, so install serves present and latest in one go.
import { rpmInstalledFact, yumUpdatesFact } from '../../../facts/index.js'
import { commandLine, shq } from '../../../shell/index.js'
import type { PackageBackend, PackageOptions } from './types.js'

export function yumBackend(mgr: 'yum' | 'dnf'): PackageBackend {
  return {
    mgr,
    // rpm -q and yum both understand name-version pins themselves.
    parseSpec: (spec) => ({ spec, name: spec }),
    installed: (ctx, names) => ctx.fact(rpmInstalledFact, { names }),
    installedRead: (names) => ({ def: rpmInstalledFact, args: { names } }),
    async upgrades(ctx, names, installed) {
      const updates = await ctx.fact(yumUpdatesFact, { names, mgr })
      const out: Record<string, string> = {}
      for (const name of names) {
        const pkg = installed.versions[name] !== undefined ? name : installed.provides[name]?.[0]
        if (pkg && updates[pkg]) out[name] = updates[pkg]
      }
      return out
    },
    invalidate: (ctx) => ctx.invalidate(rpmInstalledFact),
    refreshCommand: () => `${mgr} -q clean expire-cache`,
    command(action, specs, o) {
      // A repository id glued to its flag is that flag's value, whatever it starts with.
      const repos = [...o.enablerepo.map((r) => `--enablerepo=${shq(r)}`), ...o.disablerepo.map((r) => `--disablerepo=${shq(r)}`)]
      return commandLine(`LC_ALL=C ${mgr} -y`, [...repos, ...rpmFlags(action, o), action], specs)
    },
  }
}

/** The flags of the yum/dnf-only options given (an option not given leaves the host's configuration). */
function rpmFlags(action: 'install' | 'remove', o: PackageOptions): string[] {
  const flags: string[] = []
  if (o.disable_gpg_check) flags.push('--nogpgcheck')
  if (o.install_weak_deps !== undefined && action === 'install') flags.push(`--setopt=install_weak_deps=${o.install_weak_deps ? 'True' : 'False'}`)
  if (o.autoremove && action === 'remove') flags.push('--setopt=clean_requirements_on_remove=True')
  for (const x of o.exclude ?? []) flags.push(`--exclude=${shq(x)}`)
  if (o.skip_broken) flags.push('--skip-broken')
  if (o.allowerasing) flags.push('--allowerasing')
  if (o.nobest) flags.push('--nobest')
  if (o.releasever !== undefined) flags.push(`--releasever=${shq(o.releasever)}`)
  return flags
}
