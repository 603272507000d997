// apt: dpkg's database for what is installed, apt-cache policy for candidates, apt-get for changes.
// Debconf never prompts and changed conffiles keep the admin's version (confdef/confold), as Ansible's apt does.
import { PghaError } from '../../../errors.js'
import { aptCandidatesFact, aptInstalledFact, type AptOp } from '../../../facts/index.js'
import { commandLine, type Flag } from '../../../shell/index.js'
import type { PackageBackend, PackageOptions } from './types.js'

const APT_GET = 'DEBIAN_FRONTEND=noninteractive apt-get -y -q'
const DPKG_DEFAULT = ['force-confdef', 'force-confold']

/** The task's dpkg options (Ansible's dpkg_options) as apt-get's flags, each value one quoted word. */
const dpkgFlags = (o: PackageOptions): Flag[] => (o.dpkg_options ?? DPKG_DEFAULT).map((d) => ['-o', `Dpkg::Options::=--${d}`] as const)

const candidatesArgs = (names: string[], o: PackageOptions) => ({ names, release: o.default_release })

export const aptBackend: PackageBackend = {
  mgr: 'apt',
  parseSpec(spec) {
    const eq = spec.indexOf('=')
    const base = eq < 0 ? spec : spec.slice(0, eq)
    return { spec, name: base.replace(/:[a-z0-9]+$/, ''), pin: eq < 0 ? undefined : spec.slice(eq + 1) }
  },
  installed: (ctx) => ctx.fact(aptInstalledFact, {}),
  installedRead: () => ({ def: aptInstalledFact, args: {} }),
  upgradesRead: (names, o) => ({ def: aptCandidatesFact, args: candidatesArgs(names, o) }),
  async upgrades(ctx, names, installed, o) {
    const candidates = await ctx.fact(aptCandidatesFact, candidatesArgs(names, o))
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
    // As Ansible's apt: only allow_downgrade lets a pin replace a newer version; else apt-get refuses it.
    if (action === 'install' && o.allow_downgrade) flags.push('--allow-downgrades')
    if (action === 'install' && o.default_release !== undefined) flags.push(['-t', o.default_release])
    if (action === 'install' && o.only_upgrade) flags.push('--only-upgrade')
    if (action === 'install' && o.fail_on_autoremove) flags.push('--no-remove')
    return withPolicy(commandLine(APT_GET, [...dpkgFlags(o), ...flags, action], specs), o)
  },
}

const withPolicy = (command: string, o: PackageOptions): string => (o.policy_rc_d === undefined ? command : withPolicyRcD(command, o.policy_rc_d))

/** What the simulation of `op` (aptSimulateFact) needs of the task's options: the same flags the command gets. */
export function aptOpArgs(op: AptOp, o: PackageOptions) {
  const upgrade = op === 'upgrade' || op === 'dist-upgrade'
  if (!upgrade) return { op, purge: (op === 'autoremove' && o.purge) || undefined }
  return { op, release: o.default_release, autoremove: o.autoremove || undefined, noRemove: o.fail_on_autoremove || undefined }
}

/** The apt-get command of a whole-system operation, with the flags Ansible's apt gives it. */
export function aptOpCommand(op: AptOp, o: PackageOptions): string {
  if (op === 'clean') return 'apt-get clean'
  const upgrade = op === 'upgrade' || op === 'dist-upgrade'
  const flags: Flag[] = []
  if (upgrade && o.autoremove) flags.push('--auto-remove')
  if (upgrade && o.allow_downgrade) flags.push('--allow-downgrades')
  if (op === 'autoremove' && o.purge) flags.push('--purge')
  if (upgrade && o.fail_on_autoremove) flags.push('--no-remove')
  if (upgrade && o.default_release !== undefined) flags.push(['-t', o.default_release])
  return withPolicy(commandLine(APT_GET, [...dpkgFlags(o), ...flags, ...(op === 'upgrade' ? ['upgrade', '--with-new-pkgs'] : [op])], []), o)
}

/** Whether an operation did something, read from apt-get's output as Ansible's apt reads it. */
export function aptOpChanged(op: AptOp, out: string): boolean {
  if (op === 'autoclean') return out.includes('Del ')
  if (op === 'autoremove') return out.includes('The following packages will be REMOVED')
  return !out.includes('0 upgraded, 0 newly installed, 0 to remove')
}

const POLICY = '/usr/sbin/policy-rc.d'
const SAVED = `${POLICY}.pgha-saved`

/**
 * Ansible's policy_rc_d: while `command` runs, /usr/sbin/policy-rc.d is a script exiting with `code` (101
 * keeps invoke-rc.d from starting the services the packages install); afterwards the host's own file is
 * back, or none when it had none. `code` is an integer from the schema, never text of the user's.
 */
function withPolicyRcD(command: string, code: number): string {
  const restore = `rm -f ${POLICY}; if [ -e ${SAVED} ]; then mv -f ${SAVED} ${POLICY}; fi`
  return [
    `if [ -e ${POLICY} ]; then mv -f ${POLICY} ${SAVED} || exit 1; fi`,
    `printf '#!/bin/sh\\nexit %d\\n' ${Math.trunc(code)} > ${POLICY} && chmod 0755 ${POLICY} || { ${restore}; exit 1; }`,
    `${command}`,
    `rc=$?; ${restore}; exit $rc`,
  ].join('\n')
}
