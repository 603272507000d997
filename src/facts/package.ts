// Package facts: what is installed (one command for the whole list) and, for state=latest, what the
// configured repositories would install. apt reads dpkg's database; yum/dnf hosts read rpm's.
import { PghaError } from '../errors.js'
import type { FactDef } from './types.js'
import { commandLine, shq } from '../shell/index.js'

/** Installed packages by name (version), and the virtual names installed packages provide. */
export interface InstalledPackages {
  versions: Record<string, string>
  provides: Record<string, string[]>
}

const LC = 'LC_ALL=C'

/**
 * Every package dpkg knows, installed or not, with what it provides (so virtual names such as
 * `mail-transport-agent` resolve). One cached read serves every apt task of the play until one installs.
 */
export const aptInstalledFact: FactDef<Record<string, never>, InstalledPackages> = {
  name: 'apt_installed',
  batch: 'joined',
  command: () => `${LC} dpkg-query -W -f='\${Package}\\t\${db:Status-Abbrev}\\t\${Version}\\t\${Provides}\\n'`,
  parse(stdout) {
    const out: InstalledPackages = { versions: {}, provides: {} }
    for (const line of stdout.split('\n')) {
      const [name, status, version, provides] = line.split('\t')
      // Second letter of the abbreviation is the current state: i(nstalled), or triggers pending/awaited.
      if (!name || !status || !'iWt'.includes(status[1] ?? '')) continue
      out.versions[name] = version
      for (const p of (provides ?? '').split(',')) {
        const virtual = p.trim().split(/[\s(]/)[0]
        if (virtual) (out.provides[virtual] ??= []).push(name)
      }
    }
    return out
  },
}

/**
 * rpm answers per name: the package itself (`rpm -q` also takes name-version pins) or, failing that, the
 * package that provides it (`perl(DBI)`, `/usr/bin/psql`). Output: `NAME\tPACKAGE\tVERSION-RELEASE` or `NAME\t-`.
 */
export const rpmInstalledFact: FactDef<{ names: string[] }, InstalledPackages> = {
  name: 'rpm_installed',
  batch: 'joined',
  command: ({ names }) => {
    const qf = `--qf '%{NAME}\\t%{VERSION}-%{RELEASE}\\n'`
    return `for n in ${names.map(shq).join(' ')}; do r=$(rpm -q ${qf} -- "$n" 2>/dev/null || rpm -q --whatprovides ${qf} -- "$n" 2>/dev/null) && printf '%s\\t%s\\n' "$n" "$(echo "$r" | head -n1)" || printf '%s\\t-\\n' "$n"; done`
  },
  parse(stdout) {
    const out: InstalledPackages = { versions: {}, provides: {} }
    for (const line of stdout.split('\n')) {
      const [asked, pkg, version] = line.split('\t')
      if (!asked || !pkg || pkg === '-' || version === undefined) continue
      out.versions[pkg] = version
      if (asked !== pkg) (out.provides[asked] ??= []).push(pkg)
    }
    return out
  },
}

/**
 * Seconds since apt's lists were last updated, as Ansible's apt reads it: the update-success stamp when
 * there is one, else the lists directory; null when neither exists.
 */
export const aptCacheAgeFact: FactDef<Record<string, never>, number | null> = {
  name: 'apt_cache_age',
  batch: 'joined',
  anyUser: true,
  command: () => `t=$(stat -c %Y /var/lib/apt/periodic/update-success-stamp 2>/dev/null || stat -c %Y /var/lib/apt/lists 2>/dev/null || echo -); echo "$t $(date +%s)"`,
  parse(stdout) {
    const [then, now] = stdout.trim().split(' ')
    return then === '-' || then === undefined ? null : Number(now) - Number(then)
  },
}

/** The package a .deb file on the host holds (dpkg-deb's Package and Version fields); null when it is no .deb. */
export const debInfoFact: FactDef<{ path: string }, { name: string; version: string } | null> = {
  name: 'deb_info',
  batch: 'joined',
  command: ({ path }) => `${LC} dpkg-deb -f ${shq(path)} Package Version 2>/dev/null`,
  parse(stdout, _args, rc) {
    const name = /^Package:\s*(\S+)/m.exec(stdout)?.[1]
    const version = /^Version:\s*(\S+)/m.exec(stdout)?.[1]
    return rc === 0 && name && version ? { name, version } : null
  },
}

/** What the repositories would install: name -> version, or null when no repository has the package. */
export type Candidates = Record<string, string | null>

/** `release`: apt's default release (the apt module's default_release), whose versions are then the candidates. */
export const aptCandidatesFact: FactDef<{ names: string[]; release?: string }, Candidates> = {
  name: 'apt_candidates',
  // Read from apt's local lists (no network): it joins a read-ahead batch.
  batch: 'joined',
  command: ({ names, release }) => `${commandLine(`${LC} apt-cache`, [release !== undefined && ['-o', `APT::Default-Release=${release}`], 'policy'], names)} 2>/dev/null`,
  parse(stdout, { names }) {
    const out: Candidates = Object.fromEntries(names.map((n) => [n, null]))
    let current: string | undefined
    for (const line of stdout.split('\n')) {
      const head = /^(\S+):$/.exec(line)
      if (head) current = head[1].replace(/:[a-z0-9]+$/, '')
      const cand = /^\s+Candidate:\s*(\S+)/.exec(line)
      if (cand && current !== undefined) out[current] = cand[1] === '(none)' ? null : cand[1]
    }
    return out
  },
}

/** Pending updates for installed packages (`yum check-update` exits 100 when there are some). */
export const yumUpdatesFact: FactDef<{ names: string[]; mgr: 'yum' | 'dnf' }, Record<string, string>> = {
  name: 'yum_updates',
  command: ({ names, mgr }) => `${commandLine(`${LC} ${mgr} -q check-update`, [], names)}; rc=$?; [ $rc -eq 100 ] && rc=0; exit $rc`,
  parse(stdout, _args, rc) {
    if (rc !== 0) throw new PghaError('task', `check-update failed (rc ${rc}): ${stdout.trim().split('\n').pop() ?? ''}`)
    const out: Record<string, string> = {}
    for (const line of stdout.split('\n')) {
      if (/^(Obsoleting|Security:)/.test(line)) break
      const m = /^(\S+)\.[A-Za-z0-9_]+\s+(\S+)\s+\S+$/.exec(line)
      if (m) out[m[1]] = m[2]
    }
    return out
  },
}

/** apt's whole-system operations: apt-get's upgrades and cleanups, and clean (empty the downloaded-packages cache). */
export type AptOp = 'upgrade' | 'dist-upgrade' | 'autoremove' | 'autoclean' | 'clean'

/** What `apt-get -s` says an operation would do: `Inst`, `Remv` and `Del` lines, as `verb name`; for clean, the cached files. */
export const aptSimulateFact: FactDef<{ op: AptOp; release?: string; autoremove?: boolean; noRemove?: boolean; purge?: boolean }, string[]> = {
  name: 'apt_simulate',
  // Read from the local lists and dpkg's database (no network), like apt_candidates.
  batch: 'joined',
  command: ({ op, release, autoremove, noRemove, purge }) => {
    // apt-get clean removes the files of Dir::Cache::archives and its partial/ (never the lock).
    if (op === 'clean') return `eval "$(apt-config shell A Dir::Cache::archives/d)"; find "\${A:-/var/cache/apt/archives/}" "\${A:-/var/cache/apt/archives/}partial" -maxdepth 1 -type f ! -name lock 2>/dev/null; true`
    const words = op === 'upgrade' ? ['upgrade', '--with-new-pkgs'] : [op]
    const flags = [autoremove && (op === 'upgrade' || op === 'dist-upgrade') && '--auto-remove', noRemove && '--no-remove', purge && op === 'autoremove' && '--purge', release !== undefined && ['-t', release] as const]
    return `${commandLine(`${LC} apt-get -s -q`, [...flags, ...words], [])} 2>&1`
  },
  parse(stdout, { op }, rc) {
    if (rc !== 0) throw new PghaError('task', `apt-get -s ${op} failed (rc ${rc}): ${stdout.trim().split('\n').pop() ?? ''}`)
    if (op === 'clean') return stdout.split('\n').filter((l) => l !== '')
    return stdout.split('\n').flatMap((l) => /^(Inst|Remv|Del) (\S+)/.exec(l)?.slice(1, 3).join(' ') ?? [])
  },
}
