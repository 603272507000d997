// Ansible's `version` test: LooseVersion (the default), StrictVersion and SemanticVersion comparisons.
import { pyCompare, ValueError } from './values.js'

type Parts = (number | string)[]

function loose(v: string): Parts {
  return v
    .split(/(\d+|[a-z]+|\.)/)
    .filter((x) => x && x !== '.')
    .map((x) => (/^\d+$/.test(x) ? Number(x) : x))
}

function strict(v: string): Parts {
  const m = /^(\d+)\.(\d+)(\.(\d+))?([ab](\d+))?$/.exec(v)
  if (!m) throw new ValueError(`invalid version number '${v}'`)
  const release = [Number(m[1]), Number(m[2]), Number(m[4] ?? 0)]
  // no prerelease sorts after any prerelease
  return [...release, m[5] ? m[5][0] : 'z', m[6] ? Number(m[6]) : 0]
}

function semver(v: string): { core: number[]; pre: (number | string)[] } {
  const m = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/.exec(v)
  if (!m) throw new ValueError(`invalid semantic version '${v}'`)
  return { core: [Number(m[1]), Number(m[2]), Number(m[3])], pre: m[4] ? m[4].split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)) : [] }
}

function cmpLists(a: Parts, b: Parts): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return pyCompare(a[i], b[i])
  }
  return a.length - b.length
}

function cmpSemver(a: string, b: string): number {
  const x = semver(a)
  const y = semver(b)
  const core = cmpLists(x.core, y.core)
  if (core !== 0) return core
  if (x.pre.length === 0 || y.pre.length === 0) return y.pre.length - x.pre.length
  for (let i = 0; i < Math.min(x.pre.length, y.pre.length); i++) {
    const [p, q] = [x.pre[i], y.pre[i]]
    if (p === q) continue
    if (typeof p === 'number' && typeof q === 'number') return p - q
    if (typeof p === 'number') return -1
    if (typeof q === 'number') return 1
    return p < q ? -1 : 1
  }
  return x.pre.length - y.pre.length
}

const OPERATORS: Record<string, string> = { '==': 'eq', '=': 'eq', eq: 'eq', '<': 'lt', lt: 'lt', '<=': 'le', le: 'le', '>': 'gt', gt: 'gt', '>=': 'ge', ge: 'ge', '!=': 'ne', '<>': 'ne', ne: 'ne' }

/** version_compare(value, version, operator='eq', strict=None, version_type=None). */
export function versionCompare(value: string, version: string, operator: string, strictFlag: boolean, type: string | undefined): boolean {
  if (!value) throw new ValueError('Input version value cannot be empty')
  if (!version) throw new ValueError('Version parameter to compare against cannot be empty')
  const op = OPERATORS[operator]
  if (!op) throw new ValueError(`Invalid operator type (${operator}). Must be one of ${Object.keys(OPERATORS).map((k) => `'${k}'`).join(', ')}`)
  const kind = strictFlag ? 'strict' : (type ?? 'loose')
  let c: number
  try {
    if (kind === 'loose') c = cmpLists(loose(value), loose(version))
    else if (kind === 'strict') c = cmpLists(strict(value), strict(version))
    else if (kind === 'semver' || kind === 'semantic') c = cmpSemver(value, version)
    else if (kind === 'pep440') throw new ValueError("The pep440 version_type is not supported by pgha")
    else throw new ValueError(`Invalid version type (${kind}). Must be one of 'loose', 'strict', 'semver', 'semantic', 'pep440'`)
  } catch (err) {
    throw new ValueError(`Version comparison failed: ${(err as Error).message}`)
  }
  return { eq: c === 0, ne: c !== 0, lt: c < 0, le: c <= 0, gt: c > 0, ge: c >= 0 }[op] as boolean
}
