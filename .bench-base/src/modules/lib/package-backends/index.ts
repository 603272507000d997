// The package manager backend for a host, from its gathered facts.
import { PghaError } from '../../../errors.js'
import type { HostFacts } from '../../types.js'
import { aptBackend } from './apt.js'
import { yumBackend } from './yum.js'
import type { PackageBackend } from './types.js'

export function backendFor(facts: HostFacts, host: string, allowed?: readonly string[]): PackageBackend {
  const mgr = facts.pkg_mgr
  if (allowed && !allowed.includes(mgr)) {
    throw new PghaError('task', `this module needs ${allowed.join(' or ')}, but ${host} uses ${mgr} (${facts.distribution} ${facts.distribution_major_version}); use the package module`)
  }
  if (mgr === 'apt') return aptBackend
  if (mgr === 'yum' || mgr === 'dnf') return yumBackend(mgr)
  throw new PghaError('task', `no supported package manager on ${host} (found ${mgr})`)
}

export type { PackageBackend, PackageOptions, PackageSpec } from './types.js'
