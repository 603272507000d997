// Python's `re` on JavaScript's RegExp: the pattern is translated where the two differ (named groups
// `(?P<n>...)`/`(?P=n)`, `\A`, `\Z`, `$` also matching before a final newline, leading inline flags), and
// replacement templates use Python's `\1`, `\g<1>`, `\g<name>`. Known remaining differences: `\w`, `\d`,
// `\s` and `\b` are ASCII in JavaScript (Unicode in Python), and verbose patterns (`(?x)`) are refused.
import { ValueError } from './values.js'

export interface PyRegexOptions {
  ignorecase?: boolean
  multiline?: boolean
  dotall?: boolean
}

const cache = new Map<string, RegExp>()

/** A global RegExp behaving as Python's re.compile(pattern, flags). */
export function pyRegex(pattern: string, opts: PyRegexOptions = {}): RegExp {
  const key = `${opts.ignorecase ? 'i' : ''}${opts.multiline ? 'm' : ''}${opts.dotall ? 's' : ''}/${pattern}`
  const hit = cache.get(key)
  if (hit) {
    hit.lastIndex = 0
    return hit
  }
  let flags = ''
  let body = pattern
  const inline = /^\(\?([aiLmsux]+)\)/.exec(body)
  if (inline) {
    if (inline[1].includes('x')) throw new ValueError('verbose regular expressions (?x) are not supported')
    flags = inline[1]
    body = body.slice(inline[0].length)
  }
  const multiline = opts.multiline || flags.includes('m')
  const js = translate(body, multiline)
  const out = `g${opts.ignorecase || flags.includes('i') ? 'i' : ''}${multiline ? 'm' : ''}${opts.dotall || flags.includes('s') ? 's' : ''}`
  let re: RegExp
  try {
    re = new RegExp(js, out)
  } catch (err) {
    throw new ValueError(`invalid regular expression '${pattern}': ${(err as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, '')}`)
  }
  if (cache.size > 500) cache.clear()
  cache.set(key, re)
  return re
}

function translate(p: string, multiline: boolean): string {
  let out = ''
  let inClass = false
  for (let i = 0; i < p.length; i++) {
    const c = p[i]
    if (c === '\\') {
      const n = p[i + 1] ?? ''
      i++
      if (!inClass && n === 'A') out += '(?<![\\s\\S])'
      else if (!inClass && n === 'Z') out += '(?![\\s\\S])'
      else out += '\\' + n
      continue
    }
    if (inClass) {
      if (c === ']') inClass = false
      out += c
      continue
    }
    if (c === '[') {
      inClass = true
      out += c
      if (p[i + 1] === '^') out += p[++i]
      if (p[i + 1] === ']') out += '\\' + p[++i]
      continue
    }
    if (p.startsWith('(?P<', i)) {
      out += '(?<'
      i += 3
      continue
    }
    if (p.startsWith('(?P=', i)) {
      const end = p.indexOf(')', i)
      out += `\\k<${p.slice(i + 4, end)}>`
      i = end
      continue
    }
    if (c === '$' && !multiline) {
      out += '(?=\\n?(?![\\s\\S]))'
      continue
    }
    out += c
  }
  return out
}

/** re.search: the first match or null. */
export function pySearch(re: RegExp, s: string, anchored = false): RegExpExecArray | null {
  re.lastIndex = 0
  const m = re.exec(s)
  if (!m) return null
  if (anchored && m.index !== 0) {
    // re.match: only a match starting at 0 counts; a sticky retry finds one the global search skipped.
    const sticky = new RegExp(re.source, re.flags.replace('g', '') + 'y')
    return sticky.exec(s)
  }
  return m
}

/** Python's expansion of a replacement template (`\1`, `\g<name>`, `\n`) for one match. */
export function expandTemplate(template: string, m: RegExpExecArray): string {
  let out = ''
  for (let i = 0; i < template.length; i++) {
    const c = template[i]
    if (c !== '\\') {
      out += c
      continue
    }
    const n = template[++i]
    if (n === undefined) throw new ValueError('bad escape (end of pattern)')
    if (/\d/.test(n)) {
      const num = /^\d{1,2}/.exec(template.slice(i))?.[0] as string
      i += num.length - 1
      const g = Number(num)
      if (g >= m.length) throw new ValueError(`invalid group reference ${g}`)
      out += m[g] ?? ''
    } else if (n === 'g') {
      const ref = /^<([^>]*)>/.exec(template.slice(i + 1))
      if (!ref) throw new ValueError('missing <')
      i += ref[0].length
      const g = /^\d+$/.test(ref[1]) ? m[Number(ref[1])] : m.groups?.[ref[1]]
      if (g === undefined && !(/^\d+$/.test(ref[1]) ? Number(ref[1]) < m.length : ref[1] in (m.groups ?? {}))) {
        throw new ValueError(`unknown group name '${ref[1]}'`)
      }
      out += g ?? ''
    } else {
      const esc: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', a: '\x07', b: '\b', f: '\f', v: '\v' }
      if (n in esc) out += esc[n]
      else if (/[A-Za-z]/.test(n)) throw new ValueError(`bad escape \\${n}`)
      else out += '\\' + n
    }
  }
  return out
}

/** re.sub(pattern, repl, s, count). */
export function pySub(re: RegExp, repl: string, s: string, count = 0): string {
  let n = 0
  re.lastIndex = 0
  return s.replace(re, (...args) => {
    if (count > 0 && n >= count) return args[0] as string
    n++
    const groupsObj = typeof args[args.length - 1] === 'object' ? (args[args.length - 1] as Record<string, string>) : undefined
    const captures = args.slice(0, groupsObj ? -3 : -2) as string[]
    const m = Object.assign(captures, { index: 0, input: s, groups: groupsObj }) as unknown as RegExpExecArray
    return expandTemplate(repl, m)
  })
}

/** re.findall: whole matches, the one group's text, or tuples of groups. */
export function pyFindall(re: RegExp, s: string): (string | string[])[] {
  const out: (string | string[])[] = []
  re.lastIndex = 0
  for (const m of s.matchAll(re)) {
    if (m.length === 1) out.push(m[0])
    else if (m.length === 2) out.push(m[1] ?? '')
    else out.push(m.slice(1).map((g) => g ?? ''))
  }
  return out
}
