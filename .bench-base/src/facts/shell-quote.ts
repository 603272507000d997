// Quoting for values spliced into POSIX sh commands: facts and modules build commands from user input.

/** Single-quotes a value for sh: `it's` -> `'it'\''s'`. Plain words stay bare so commands remain readable. */
export function shq(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`
}
