// How pgha spells itself in the commands it suggests. `npx pgha` works in a clone right after `npm ci`,
// without pgha on the PATH (`npm link` or `npm install -g .` puts it there; see README).
export const PGHA = 'npx pgha'

/** A word the shell passes on unchanged, or a `<placeholder>` the user replaces. */
const PLAIN = /^[\w@%+=:,./-]+$/
const PLACEHOLDER = /<[^<>]+>/

/**
 * The command line a hint tells the user to run: `npx pgha` and the words, each single-quoted when the
 * shell would split or expand it (`<...>` placeholders stay as written, for the user to replace).
 */
export function pghaCommand(...words: string[]): string {
  return [PGHA, ...words.map(shellWord)].join(' ')
}

function shellWord(word: string): string {
  if (PLAIN.test(word) || PLACEHOLDER.test(word)) return word
  return `'${word.replace(/'/g, `'\\''`)}'`
}
