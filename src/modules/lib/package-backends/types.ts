// One package manager behind the package module: how to read what is installed and what would be
// upgraded, and the commands that install or remove a list in one transaction.
import type { FactRead, InstalledPackages } from '../../../facts/index.js'
import type { ModuleContext } from '../../types.js'

export interface PackageOptions {
  update_cache: boolean
  /** apt: a pin may downgrade (apt-get --allow-downgrades). */
  allow_downgrade: boolean
  install_recommends?: boolean
  purge: boolean
  autoremove: boolean
  enablerepo: string[]
  disablerepo: string[]
  disable_gpg_check?: boolean
  install_weak_deps?: boolean
  exclude?: string[]
  skip_broken?: boolean
  allowerasing?: boolean
  nobest?: boolean
  releasever?: string
  /** apt: the release to install from (apt-get -t). */
  default_release?: string
  /** apt: install only what is installed already (--only-upgrade). */
  only_upgrade?: boolean
  /** apt: the dpkg options, without their dashes (default force-confdef, force-confold). */
  dpkg_options?: string[]
  /** apt: fail rather than remove packages (--no-remove). */
  fail_on_autoremove?: boolean
  /** apt: the exit code /usr/sbin/policy-rc.d gives while apt runs. */
  policy_rc_d?: number
}

/** One requested package: the text as given, the name to look up, and an apt version pin (`name=1.2*`). */
export interface PackageSpec {
  spec: string
  name: string
  pin?: string
}

export interface PackageBackend {
  mgr: 'apt' | 'yum' | 'dnf'
  parseSpec(spec: string): PackageSpec
  installed(ctx: ModuleContext, names: string[]): Promise<InstalledPackages>
  /** The fact `installed` reads for these names (read-ahead). */
  installedRead(names: string[]): FactRead
  /** For state=latest: installed names -> the newer version the repositories offer (absent when current). */
  upgrades(ctx: ModuleContext, names: string[], installed: InstalledPackages, o: PackageOptions): Promise<Record<string, string>>
  /** The fact `upgrades` reads for these installed names, when it is a local read (read-ahead); none for a repository query. */
  upgradesRead?(names: string[], o: PackageOptions): FactRead
  /** Forgets the installed fact after a transaction. */
  invalidate(ctx: ModuleContext): void
  refreshCommand(): string
  command(action: 'install' | 'remove', specs: string[], o: PackageOptions): string
}
