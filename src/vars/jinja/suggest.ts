// "Did you mean" for misspelt filter and test names.
import { knownNames } from './names.js'

/** ` (did you mean 'x'?)` for a name one edit (or a swap of two letters) or a prefix away from a known one. */
export function suggest(name: string, kind: 'filter' | 'test'): string {
  const near = knownNames(kind)
    .split(', ')
    .find((k) => distance(k, name) <= 1 || (k.length > 3 && (k.startsWith(name) || name.startsWith(k))))
  return near ? ` (did you mean '${near}'?)` : ` ('pgha doc templates' lists the ${kind}s)`
}

function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 1) return 2
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)])
  for (let j = 1; j <= b.length; j++) d[0][j] = j
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1)
    }
  }
  return d[a.length][b.length]
}
