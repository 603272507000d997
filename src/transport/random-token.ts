// Random tokens for the sh text transports build: sentinels, sudo prompts and temporary names.
import { randomBytes } from 'node:crypto'

/** A random hex string, used for sentinels, prompts and temp names that output cannot forge. */
export function randomToken(bytes = 8): string {
  return randomBytes(bytes).toString('hex')
}
