// Host patterns, as in `hosts:` and `--limit`, with Ansible's semantics: `all` or `*`, group and host
// names, globs (`node*`, `db-?`, `db[12]`), regexes (`~^node[0-9]$`, anchored at the start like Python's
// re.match), subscripts (`web[0]`, `web[1:2]`, inclusive), and lists joined by `:` or `,` where a part
// prefixed `&` intersects and `!` excludes. As in Ansible, plain parts are applied first, then `&` parts,
// then `!` parts, whatever their order in the text. The result is always in inventory order.
// As in Ansible, the implicit localhost (localhost.ts) is selected only by a part naming it exactly.
import { ConfigError, type SourceLocation } from '../errors.js'
import { findHost, reachableHosts } from './localhost.js'
import type { Inventory } from './types.js'

interface Part {
  op: '' | '&' | '!'
  text: string
  expr: string
  subscript?: [number, number | undefined]
}

/** Names the hosts a pattern selects, in inventory order; [] when nothing matches. */
export function selectHosts(inv: Inventory, pattern: string | string[], _loc?: SourceLocation): string[] {
  const parts = parse(pattern)
  if (parts.length === 0) return []
  let selected = new Set<string>()
  for (const p of ordered(parts)) {
    const hosts = tryMatch(inv, p)
    if (p.op === '') for (const h of hosts) selected.add(h)
    else if (p.op === '&') selected = new Set(hosts.filter((h) => selected.has(h)))
    else for (const h of hosts) selected.delete(h)
  }
  return reachableHosts(inv).filter((h) => selected.has(h))
}

/** checkPattern reports a bad regex; selecting with one just matches nothing. */
function tryMatch(inv: Inventory, p: Part): string[] {
  try {
    return matchPart(inv, p) ?? []
  } catch {
    return []
  }
}

/** An error naming every part of the pattern that matches no host or group, or undefined when all match. */
export function checkPattern(inv: Inventory, pattern: string | string[], loc?: SourceLocation): ConfigError | undefined {
  const parts = parse(pattern)
  if (parts.length === 0) return new ConfigError('the host pattern is empty: name a group, a host or all', loc)
  const problems: string[] = []
  const unknown: string[] = []
  for (const p of parts) {
    let hosts: string[] | undefined
    try {
      hosts = matchPart(inv, p)
    } catch (err) {
      problems.push(`'${p.expr}' is not a valid regular expression: ${(err as Error).message}`)
      continue
    }
    if (hosts === undefined) unknown.push(p.expr)
    else if (hosts.length === 0 && p.subscript) problems.push(`'${p.text}' selects nothing: the subscript is past the ${p.expr} hosts`)
  }
  if (unknown.length > 0) problems.unshift(unknownMessage(inv, unknown))
  return problems.length > 0 ? new ConfigError(problems.join('; '), loc) : undefined
}

function unknownMessage(inv: Inventory, unknown: string[]): string {
  const names = [...inv.groups.keys(), ...inv.hosts.keys()]
  const hints = unknown.map((u) => nearest(u.replace(/^~/, ''), names)).filter((h): h is string => !!h)
  const groups = [...inv.groups.keys()]
  const shown = groups.length > 20 ? [...groups.slice(0, 20), '...'] : groups
  let msg = `no host or group matches ${unknown.map((u) => `'${u}'`).join(', ')}`
  if (hints.length > 0) msg += ` (did you mean ${hints.map((h) => `'${h}'`).join(', ')}?)`
  return `${msg} (known groups: ${shown.join(', ')})`
}

/** A part between `:` separators: anything but whitespace, `:` and brackets, or a whole `[...]`. */
const PIECE = /(?:[^\s:[\]]|\[[^\]]*\])+/g

/** Splits on `,` when there is one, else on `:` outside brackets (so ranges and subscripts survive). */
function parse(pattern: string | string[]): Part[] {
  const texts = (Array.isArray(pattern) ? pattern : [pattern]).flatMap((p) => {
    const s = String(p)
    if (s.includes(',')) return s.split(',')
    if (/^[0-9a-fA-F]*:[0-9a-fA-F]*:[0-9a-fA-F:.]*$/.test(s)) return [s] // an IPv6 address
    // A stray bracket would be dropped silently (`~[` becoming `~`, which matches everything): keep it whole.
    return /^[\s:]*$/.test(s.replace(PIECE, '')) ? (s.match(PIECE) ?? []) : [s]
  })
  return texts
    .map((t) => t.trim())
    .filter((t) => t !== '')
    .map((text) => {
      const op = text[0] === '&' || text[0] === '!' ? text[0] : ''
      const body = text.slice(op.length)
      const sub = body.startsWith('~') ? null : /^(.+)\[(?:(-?\d+)|(\d+):(\d*))\]$/.exec(body)
      if (!sub) return { op, text, expr: body }
      const subscript: [number, number | undefined] = sub[2] !== undefined ? [Number(sub[2]), undefined] : [Number(sub[3]), sub[4] === '' ? -1 : Number(sub[4])]
      return { op, text, expr: sub[1], subscript }
    })
}

function ordered(parts: Part[]): Part[] {
  const plain = parts.filter((p) => p.op === '')
  return [...(plain.length > 0 ? plain : parse('all')), ...parts.filter((p) => p.op === '&'), ...parts.filter((p) => p.op === '!')]
}

/** Hosts a part selects in inventory order, or undefined when it names no group and no host at all. */
function matchPart(inv: Inventory, p: Part): string[] | undefined {
  const implicit = !inv.groups.has(p.expr) && findHost(inv, p.expr)?.implicit
  const list = implicit ? ['localhost'] : namedHosts(inv, p.expr)
  if (list === undefined || !p.subscript) return list
  const [start, end] = p.subscript
  if (end === undefined) {
    const one = list.at(start)
    return one === undefined ? [] : [one]
  }
  return list.slice(start, (end === -1 ? list.length - 1 : end) + 1)
}

/** The inventory's hosts in the groups, or with the names, an expression matches. */
function namedHosts(inv: Inventory, expr: string): string[] | undefined {
  const matcher = compile(expr)
  const found = new Set<string>()
  const groups = [...inv.groups.keys()].filter(matcher)
  for (const g of groups) for (const h of inv.groups.get(g)!.hosts) found.add(h)
  // Host names are tried when no group matched, or when the part could match many names.
  const hostsToo = groups.length === 0 || expr.startsWith('~') || /[.?*[]/.test(expr)
  const hosts = hostsToo ? [...inv.hosts.keys()].filter(matcher) : []
  for (const h of hosts) found.add(h)
  if (groups.length === 0 && hosts.length === 0) return undefined
  return [...inv.hosts.keys()].filter((h) => found.has(h))
}

function compile(expr: string): (name: string) => boolean {
  if (expr === 'all' || expr === '*') return () => true
  if (expr.startsWith('~')) {
    const re = new RegExp(`^(?:${expr.slice(1).replace(/\(\?P</g, '(?<')})`)
    return (name) => re.test(name)
  }
  if (!/[*?[]/.test(expr)) return (name) => name === expr
  return globRegex(expr)
}

/** Python's fnmatch: `*`, `?`, `[seq]`, `[!seq]`; anything else literal. */
export function globRegex(glob: string): (name: string) => boolean {
  let src = ''
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]
    const close = c === '[' ? glob.indexOf(']', i + 2) : -1
    if (c === '*') src += '.*'
    else if (c === '?') src += '.'
    else if (close > 0) {
      const body = glob.slice(i + 1, close).replace(/\\/g, '\\\\')
      src += body.startsWith('!') ? `[^${body.slice(1)}]` : `[${body.replace(/^\^/, '\\^')}]`
      i = close
    } else src += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
  }
  const re = new RegExp(`^${src}$`, 's')
  return (name) => re.test(name)
}

/** The closest name within a small edit distance, for "did you mean". */
function nearest(word: string, names: string[]): string | undefined {
  let best: string | undefined
  let bestD = Math.max(1, Math.floor(word.length / 3)) + 1
  for (const n of names) {
    const d = distance(word, n)
    if (d < bestD) [best, bestD] = [n, d]
  }
  return best
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const cur = [i]
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
    prev = cur
  }
  return prev[b.length]
}
