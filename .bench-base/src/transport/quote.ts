// Shell quoting and random tokens shared by every transport that builds sh command text.
import { randomBytes } from 'node:crypto'

/** Quotes a value for POSIX sh: the result is one word whose value is exactly `s`. */
export function shq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`
}

/** A random hex string, used for sentinels, prompts and temp names that output cannot forge. */
export function randomToken(bytes = 8): string {
  return randomBytes(bytes).toString('hex')
}

/** Base64 in 76-column lines, so heredocs through a pty never carry a huge line. */
export function base64Lines(data: Buffer): string {
  const b64 = data.toString('base64')
  let out = ''
  for (let i = 0; i < b64.length; i += 76) out += b64.slice(i, i + 76) + '\n'
  return out
}

/** Replaces every occurrence of a secret, so no message can leak it. */
export function scrub(text: string, secret?: string): string {
  return secret ? text.split(secret).join('********') : text
}
