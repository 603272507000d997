// Python requirement specifiers as pip reads them (PEP 508 names, PEP 440 versions): enough to tell whether
// an installed version satisfies `name>=1.2,<2`, `name==1.4.*` or `name~=2.1`, so pip's plan is exact.

/** One requirement: `django[bcrypt]>=4.2,<5` -> name django, extras, the specifier clauses. */
export interface Requirement {
  text: string
  name: string
  clauses: { op: string; version: string }[]
}

const NAME = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)(\[[A-Za-z0-9._,\s-]+\])?\s*(.*)$/
const CLAUSE = /^(===|==|!=|~=|>=|<=|>|<)\s*([A-Za-z0-9.*+!_-]+)$/

/** The requirement, or why it is not one pgha reads (a URL, a path, markers). */
export function parseRequirement(text: string): Requirement | string {
  if (/^[A-Za-z][A-Za-z0-9+.-]*:|@/.test(text.trim())) return 'URLs, VCS references and direct references are not read by pgha'
  const m = NAME.exec(text.trim())
  if (!m) return 'a requirement is a package name, optionally with [extras] and version specifiers such as >=1.2,<2'
  const clauses: Requirement['clauses'] = []
  if (m[3].trim() !== '') {
    for (const part of m[3].split(',')) {
      const c = CLAUSE.exec(part.trim())
      if (!c) return `'${part.trim()}' is not a version specifier (==, !=, >=, <=, >, <, ~= or === and a version)`
      clauses.push({ op: c[1], version: c[2] })
    }
  }
  return { text: text.trim(), name: m[1], clauses }
}

type Key = [number, number[], number, number, number]

const VERSION = /^v?(?:(\d+)!)?(\d+(?:\.\d+)*)(?:[-_.]?(a|b|rc|alpha|beta|c|pre|preview)[-_.]?(\d*))?(?:(?:[-_.]?(?:post|rev|r)[-_.]?(\d*))|-(\d+))?(?:[-_.]?dev[-_.]?(\d*))?(?:\+[a-z0-9.]+)?$/i
const PRE: Record<string, number> = { a: 0, alpha: 0, b: 1, beta: 1, rc: 2, c: 2, pre: 2, preview: 2 }

/** A sortable key of a PEP 440 version; undefined when it is not one. */
function keyOf(v: string): Key | undefined {
  const m = VERSION.exec(v.trim())
  if (!m) return undefined
  const release = m[2].split('.').map(Number)
  while (release.length > 1 && release[release.length - 1] === 0) release.pop()
  // A final release sorts after its pre-releases and a dev release before both; a post release after it.
  const dev = m[7] !== undefined ? Number(m[7] || 0) : Infinity
  const pre = m[3] !== undefined ? PRE[m[3].toLowerCase()] * 1e6 + Number(m[4] || 0) : dev !== Infinity && m[5] === undefined && m[6] === undefined ? -1 : Infinity
  const post = m[5] !== undefined ? Number(m[5] || 0) : m[6] !== undefined ? Number(m[6]) : -1
  return [Number(m[1] ?? 0), release, pre, post, dev]
}

function compare(a: Key, b: Key): number {
  if (a[0] !== b[0]) return a[0] - b[0]
  for (let i = 0; i < Math.max(a[1].length, b[1].length); i++) {
    const d = (a[1][i] ?? 0) - (b[1][i] ?? 0)
    if (d !== 0) return d
  }
  for (const i of [2, 3, 4] as const) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1
  return 0
}

/** Whether an installed version satisfies every clause (pre-releases are matched as given, as pip does for installed ones). */
export function satisfies(version: string, clauses: Requirement['clauses']): boolean {
  const have = keyOf(version)
  return clauses.every(({ op, version: want }) => {
    if (op === '===') return version === want
    if ((op === '==' || op === '!=') && want.endsWith('.*')) {
      const prefix = want.slice(0, -2).split('.')
      const rel = version.split(/[^0-9.]/)[0].split('.')
      const eq = prefix.every((p, i) => Number(p) === Number(rel[i] ?? 0))
      return op === '==' ? eq : !eq
    }
    const w = keyOf(want)
    if (!have || !w) return op === '==' ? version === want : op === '!=' ? version !== want : false
    const c = compare(have, w)
    switch (op) {
      case '==': return c === 0
      case '!=': return c !== 0
      case '>=': return c >= 0
      case '<=': return c <= 0
      case '>': return c > 0
      case '<': return c < 0
      default: {
        // ~=X.Y.Z: >= X.Y.Z and == X.Y.*
        const parts = want.split('.')
        return c >= 0 && satisfies(version, [{ op: '==', version: `${parts.slice(0, -1).join('.')}.*` }])
      }
    }
  })
}
