// Quoting for values spliced into POSIX sh command text. Two behaviours, two names:
// - `shq` leaves a word of safe characters bare, so the commands facts and modules build stay readable in
//   `-v` output and fixtures (`chmod 0644 -- /etc/motd`);
// - `shqAlways` quotes every value, for text built by the transport (scripts, prompts, `eval` arguments) and
//   for a first word that must never be read as sh syntax.
// Both give one word whose value is exactly the input, including quotes, spaces and newlines.

const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/

/** Single-quotes a value for sh: `it's` -> `'it'\''s'`. Plain words stay bare so commands remain readable. */
export function shq(value: string): string {
  return SAFE_WORD.test(value) ? value : shqAlways(value)
}

/** Single-quotes a value for sh whatever it holds: `abc` -> `'abc'`, `` -> `''`. */
export function shqAlways(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`
}
