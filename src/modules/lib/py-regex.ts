// Python's `re` as the modules Ansible ships use it, on JavaScript's RegExp: pattern syntax that differs
// ((?P<name>...), (?P=name), \A, \Z, leading inline flags) is rewritten, and replacement templates are
// expanded as Python's match.expand does (\1, \g<name>, \g<1>, \n and the other escapes).
import { PghaError } from '../../errors.js'

const INLINE_FLAGS: Record<string, string> = { i: 'i', m: 'm', s: 's' }

/** A RegExp that matches what Python's re.compile(pattern, flags) matches, for the syntax both share. */
export function pyRegExp(pattern: string, flags = ''): RegExp {
  let source = pattern
  const all = new Set(flags)
  const inline = /^\(\?([a-zA-Z]+)\)/.exec(source)
  if (inline) {
    for (const f of inline[1]) {
      if (!(f in INLINE_FLAGS)) throw new PghaError('task', `the regular expression ${JSON.stringify(pattern)} uses the inline flag (?${f}), which pgha does not support`)
      all.add(INLINE_FLAGS[f])
    }
    source = source.slice(inline[0].length)
  }
  source = source
    .replace(/\(\?P</g, '(?<')
    .replace(/\(\?P=(\w+)\)/g, '\\k<$1>')
    .replace(/(^|[^\\])\\A/g, '$1(?<![\\s\\S])')
    .replace(/(^|[^\\])\\Z/g, '$1(?![\\s\\S])')
  try {
    return new RegExp(source, [...all].join(''))
  } catch (err) {
    throw new PghaError('task', `invalid regular expression ${JSON.stringify(pattern)}: ${(err as Error).message}`)
  }
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', f: '\f', v: '\v', a: '\x07', b: '\b', '\\': '\\' }

/** Python's match.expand(template): groups by number or name (an unmatched group is ''), and the string escapes. */
export function pyExpand(template: string, m: RegExpExecArray): string {
  return template.replace(/\\(?:g<(\w+)>|(\d{1,2})|(.))/gs, (whole, g: string | undefined, n: string | undefined, c: string | undefined) => {
    if (g !== undefined) return (/^\d+$/.test(g) ? m[Number(g)] : m.groups?.[g]) ?? ''
    if (n !== undefined) return m[Number(n)] ?? ''
    if (c !== undefined && c in ESCAPES) return ESCAPES[c]
    if (c !== undefined && /[A-Za-z]/.test(c)) throw new PghaError('task', `bad escape \\${c} in the replacement ${JSON.stringify(template)}`)
    return whole
  })
}

/** Python's re.subn(regex, template, text): the new text and how many matches were replaced (regex must be global). */
export function pySubn(regex: RegExp, template: string, text: string): { text: string; count: number } {
  let count = 0
  const out = text.replace(regex, (...args: unknown[]) => {
    count++
    const groupsAt = args.length - 1
    const named = typeof args[groupsAt] === 'object' ? (args[groupsAt] as Record<string, string>) : undefined
    const end = named === undefined ? args.length - 2 : args.length - 3
    const m = Object.assign(args.slice(0, end) as string[], { groups: named, index: 0, input: text }) as unknown as RegExpExecArray
    return pyExpand(template, m)
  })
  return { text: out, count }
}
