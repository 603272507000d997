// "Did you mean" suggestions for misspelt keywords, modules, parameters and handler names.

/** Edit distance (insertions, deletions, substitutions, adjacent transpositions). */
export function levenshtein(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)])
  for (let j = 1; j <= b.length; j++) d[0][j] = j
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1)
    }
  }
  return d[a.length][b.length]
}

/** The candidates close enough to `word` to be what was meant, closest first (at most 3). */
export function closest(word: string, candidates: Iterable<string>): { name: string; distance: number }[] {
  const limit = Math.max(2, Math.floor(word.length / 3))
  const lower = word.toLowerCase()
  return [...new Set(candidates)]
    .map((name) => ({ name, distance: levenshtein(lower, name.toLowerCase()) }))
    .filter((c) => c.distance <= limit && c.name !== word)
    .sort((x, y) => x.distance - y.distance || x.name.localeCompare(y.name))
    .slice(0, 3)
}

/** ` (did you mean 'x'?)`, ` (did you mean 'x' or 'y'?)`, or '' when nothing is close. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const names = closest(word, candidates).map((c) => `'${c.name}'`)
  if (names.length === 0) return ''
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`
  return ` (did you mean ${list}?)`
}
