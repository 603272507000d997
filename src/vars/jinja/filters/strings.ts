// Text filters: Jinja2's (lower, upper, capitalize, title, trim, replace, center, indent, truncate,
// wordcount, format...) and Ansible's (regex_*, quote, comment, split, b64encode/b64decode).
import { percentFormat } from '../format.js'
import { pyFindall, pyRegex, pySearch, pySub } from '../regex.js'
import { pyCapitalize, pySplit, pyStrip } from '../strings.js'
import { arg, type Callable } from '../types.js'
import { isMapping, num, pyStr, truthy, tuple, typeName, ValueError } from '../values.js'

type Filters = Record<string, Callable>

/** Python's to_text for a filter's input. */
const text = (v: unknown): string => pyStr(v)

function str(name: string, v: unknown): string {
  if (typeof v !== 'string') throw new ValueError(`${name} expects a string, got ${typeName(v)}`)
  return v
}

const simple = (fn: (s: string) => unknown): Callable => ({ params: [], fn: (_c, v) => fn(text(v)) })

/** Python's shlex.quote. */
export function shellQuote(s: string): string {
  if (s === '') return "''"
  if (/^[\w@%+=:,./-]+$/.test(s)) return s
  return `'${s.replace(/'/g, `'"'"'`)}'`
}

function indent(s: string, width: unknown, first: unknown, blank: unknown): string {
  const ind = typeof width === 'string' ? width : ' '.repeat(num(arg(width, 4)))
  const lines = splitlines(s + '\n')
  let rv: string
  if (truthy(blank)) rv = lines.join('\n' + ind)
  else {
    rv = lines.shift() ?? ''
    if (lines.length > 0) rv += '\n' + lines.map((l) => (l ? ind + l : l)).join('\n')
  }
  return truthy(first) ? ind + rv : rv
}

/** Python's str.splitlines(). */
export function splitlines(s: string, keepends = false): string[] {
  const out: string[] = []
  // eslint-disable-next-line no-control-regex -- Python splits lines on these separators too
  const re = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/g
  let last = 0
  for (const m of s.matchAll(re)) {
    out.push(s.slice(last, keepends ? m.index + m[0].length : m.index))
    last = m.index + m[0].length
  }
  if (last < s.length) out.push(s.slice(last))
  return out
}

function regexOpts(kwargs: { ignorecase?: unknown; multiline?: unknown }): { ignorecase: boolean; multiline: boolean } {
  return { ignorecase: truthy(kwargs.ignorecase), multiline: truthy(kwargs.multiline) }
}

const COMMENT_STYLES: Record<string, Record<string, string>> = {
  plain: { decoration: '# ' },
  erlang: { decoration: '% ' },
  c: { decoration: '// ' },
  cblock: { beginning: '/*', decoration: ' * ', end: ' */' },
  xml: { beginning: '<!--', decoration: ' - ', end: '-->' },
}

function comment(value: string, style: string, kw: Record<string, unknown>): string {
  const styleParams = COMMENT_STYLES[style]
  if (!styleParams) throw new ValueError(`unknown comment style '${style}'`)
  const deco = kw.decoration !== undefined ? pyStr(kw.decoration) : styleParams.decoration
  const p: Record<string, unknown> = { newline: '\n', beginning: '', prefix: deco.trimEnd(), prefix_count: 1, decoration: '', postfix: deco.trimEnd(), postfix_count: 1, end: '', ...styleParams, ...kw }
  const nl = pyStr(p.newline)
  const beginning = p.beginning ? `${pyStr(p.beginning)}${nl}` : ''
  let prefix = ''
  if (p.prefix) prefix = (p.prefix !== nl ? `${pyStr(p.prefix)}${nl}` : nl).repeat(num(p.prefix_count))
  const d = pyStr(p.decoration)
  const body = (d + value.split(nl).join(nl + d)).split(d + nl).join(d.trimEnd() + nl)
  const postfix = ['', ...Array<string>(num(p.postfix_count)).fill(pyStr(p.postfix))].join(nl)
  const end = p.end ? `${nl}${pyStr(p.end)}` : ''
  return beginning + prefix + body + postfix + end
}

export const STRING_FILTERS: Filters = {
  lower: simple((s) => s.toLowerCase()),
  upper: simple((s) => s.toUpperCase()),
  capitalize: simple(pyCapitalize),
  title: simple((s) => s.split(/([-\s({[<]+)/).filter(Boolean).map((w) => w[0].toUpperCase() + w.slice(1).toLowerCase()).join('')),
  trim: { params: ['chars'], fn: (_c, v, [chars]) => pyStrip(text(v), chars === undefined || chars === null ? undefined : text(chars), 'both') },
  center: {
    params: ['width'],
    fn: (_c, v, [width]) => {
      const s = text(v)
      const w = num(arg(width, 80))
      if (s.length >= w) return s
      const total = w - s.length
      const left = Math.floor(total / 2) + (total & w & 1)
      return ' '.repeat(left) + s + ' '.repeat(total - left)
    },
  },
  replace: {
    params: ['old', 'new', 'count'],
    fn: (_c, v, [old, repl, count]) => {
      const s = text(v)
      const o = text(old)
      const n = text(repl)
      const limit = count === undefined || count === null ? -1 : num(count)
      if (limit < 0) return o === '' ? [...s].map((ch) => n + ch).join('') + n : s.split(o).join(n)
      let out = s
      let at = 0
      for (let i = 0; i < limit; i++) {
        const j = out.indexOf(o, at)
        if (j < 0) break
        out = out.slice(0, j) + n + out.slice(j + o.length)
        at = j + n.length + (o === '' ? 1 : 0)
      }
      return out
    },
  },
  indent: { params: ['width', 'first', 'blank'], fn: (_c, v, [w, first, blank]) => indent(text(v), w, first, blank) },
  truncate: {
    params: ['length', 'killwords', 'end', 'leeway'],
    fn: (_c, v, [length, killwords, end, leeway]) => {
      const s = text(v)
      const n = num(arg(length, 255))
      const e = text(arg(end, '...'))
      if (s.length <= n + num(arg(leeway, 5))) return s
      if (truthy(killwords)) return s.slice(0, n - e.length) + e
      const cut = s.slice(0, n - e.length)
      const sp = cut.lastIndexOf(' ')
      return (sp >= 0 ? cut.slice(0, sp) : cut) + e
    },
  },
  wordcount: simple((s) => (s.match(/\w+/g) ?? []).length),
  format: {
    params: [],
    variadic: true,
    anyKwargs: true,
    fn: (_c, v, args, kwargs) => {
      if (args.length > 0 && Object.keys(kwargs).length > 0) throw new ValueError("can't handle positional and keyword arguments at the same time")
      return percentFormat(text(v), Object.keys(kwargs).length > 0 ? kwargs : tuple(args))
    },
  },
  striptags: simple((s) => s.replace(/<!--.*?-->|<[^>]*>/gs, '').replace(/\s+/g, ' ').trim()),
  e: simple(htmlEscape),
  escape: simple(htmlEscape),
  forceescape: simple(htmlEscape),
  safe: { params: [], fn: (_c, v) => v },
  quote: { params: [], fn: (_c, v) => shellQuote(v === null ? '' : text(v)) },
  split: {
    params: ['sep', 'maxsplit'],
    fn: (_c, v, [sep, maxsplit]) => pySplit(str('split', v), sep === undefined || sep === null ? undefined : text(sep), num(arg(maxsplit, -1))),
  },
  comment: { params: ['style'], anyKwargs: true, fn: (_c, v, [style], kw) => comment(text(v), text(arg(style, 'plain')), kw) },
  regex_replace: {
    params: ['pattern', 'replacement', 'ignorecase', 'multiline'],
    fn: (_c, v, [pattern, replacement, ignorecase, multiline]) =>
      pySub(pyRegex(text(arg(pattern, '')), regexOpts({ ignorecase, multiline })), text(arg(replacement, '')), text(arg(v, ''))),
  },
  regex_findall: {
    params: ['regex', 'multiline', 'ignorecase'],
    fn: (_c, v, [regex, multiline, ignorecase]) =>
      pyFindall(pyRegex(text(regex), regexOpts({ ignorecase, multiline })), text(v)).map((m) => (Array.isArray(m) ? tuple(m) : m)),
  },
  regex_search: {
    params: ['regex'],
    variadic: true,
    anyKwargs: true,
    fn: (_c, v, [regex, ...groups], kwargs) => {
      const refs = groups.map((g) => {
        const s = text(g)
        const named = /^\\g<(\S+)>/.exec(s)
        if (named) return named[1]
        const n = /^\\(\d+)/.exec(s)
        if (n) return Number(n[1])
        throw new ValueError('Unknown argument')
      })
      const m = pySearch(pyRegex(text(regex), regexOpts(kwargs)), text(v))
      if (!m) return null
      if (refs.length === 0) return m[0]
      return refs.map((r) => (typeof r === 'number' ? m[r] : m.groups?.[r]) ?? null)
    },
  },
  regex_escape: {
    params: ['re_type'],
    fn: (_c, v, [reType]) => {
      const s = text(v)
      const t = arg(reType, 'python')
      if (t === 'python') return s.replace(/[^\w]/g, (c) => (c.charCodeAt(0) > 127 ? c : '\\' + c))
      if (t === 'posix_basic') return s.replace(/([\].[^$*\\])/g, '\\$1')
      throw new ValueError(t === 'posix_extended' ? `Regex type (${String(t)}) not yet implemented` : `Invalid regex type (${String(t)})`)
    },
  },
  b64encode: { params: ['encoding'], fn: (_c, v) => Buffer.from(text(v), 'utf8').toString('base64') },
  b64decode: { params: ['encoding'], fn: (_c, v) => Buffer.from(text(v), 'base64').toString('utf8') },
  urlencode: {
    params: [],
    fn: (_c, v) => {
      const enc = (x: unknown): string => encodeURIComponent(pyStr(x)).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase()).replace(/%2F/g, '/')
      if (typeof v === 'string') return enc(v)
      const pairs = isMapping(v) ? Object.entries(v) : (v as [unknown, unknown][])
      return pairs.map(([k, x]) => `${encodeURIComponent(pyStr(k))}=${encodeURIComponent(pyStr(x))}`.replace(/%20/g, '+')).join('&')
    },
  },
  urldecode: { params: [], fn: (_c, v) => decodeURIComponent(text(v).replace(/\+/g, ' ')) },
}

function htmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;')
}
