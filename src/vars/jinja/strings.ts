// Python's str operations that JavaScript spells differently: split on whitespace runs, strip a set of
// characters, capitalize and title.
import { ValueError } from './values.js'

// eslint-disable-next-line no-control-regex -- Python's str.isspace() counts these separators as white space
const WS = /[\s\x1c-\x1f\x85]/
const isSpace = (c: string): boolean => WS.test(c) && c !== '\ufeff'

/** str.split(sep=None, maxsplit=-1) */
export function pySplit(s: string, sep: string | undefined, maxsplit = -1): string[] {
  if (sep === '') throw new ValueError('empty separator')
  if (sep !== undefined) {
    const parts = s.split(sep)
    if (maxsplit < 0 || parts.length <= maxsplit + 1) return parts
    return [...parts.slice(0, maxsplit), parts.slice(maxsplit).join(sep)]
  }
  const out: string[] = []
  let i = 0
  while (i < s.length) {
    while (i < s.length && isSpace(s[i])) i++
    if (i >= s.length) break
    if (maxsplit >= 0 && out.length === maxsplit) {
      out.push(s.slice(i))
      break
    }
    let j = i
    while (j < s.length && !isSpace(s[j])) j++
    out.push(s.slice(i, j))
    i = j
  }
  return out
}

/** str.rsplit(sep=None, maxsplit=-1) */
export function pyRsplit(s: string, sep: string | undefined, maxsplit = -1): string[] {
  if (maxsplit < 0) return pySplit(s, sep, -1)
  if (sep === '') throw new ValueError('empty separator')
  if (sep !== undefined) {
    const parts = s.split(sep)
    if (parts.length <= maxsplit + 1) return parts
    return [parts.slice(0, parts.length - maxsplit).join(sep), ...parts.slice(parts.length - maxsplit)]
  }
  const rev = pySplit([...s].reverse().join(''), undefined, maxsplit)
  return rev.map((p) => [...p].reverse().join('')).reverse()
}

/** str.strip/lstrip/rstrip(chars=None) */
export function pyStrip(s: string, chars: string | undefined, side: 'both' | 'left' | 'right'): string {
  const strip = (c: string): boolean => (chars === undefined ? isSpace(c) : chars.includes(c))
  let a = 0
  let b = s.length
  if (side !== 'right') while (a < b && strip(s[a])) a++
  if (side !== 'left') while (b > a && strip(s[b - 1])) b--
  return s.slice(a, b)
}

const cased = (c: string): boolean => c.toLowerCase() !== c.toUpperCase()

/** str.capitalize() */
export const pyCapitalize = (s: string): string => (s === '' ? s : s[0].toUpperCase() + s.slice(1).toLowerCase())

/** str.title(): a cased character after an uncased one starts a word. */
export function pyTitle(s: string): string {
  let out = ''
  let prev = false
  for (const c of s) {
    out += prev ? c.toLowerCase() : c.toUpperCase()
    prev = cased(c)
  }
  return out
}
