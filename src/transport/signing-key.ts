// A private key as ssh2 uses it for publickey authentication, parsed once per process and signing through
// a KeyObject. ssh2 keeps a parsed key's PEM text and hands it to crypto.sign at every signature, which
// makes OpenSSL 3 decode the PEM again each time: about 1.3 ms per handshake, the dearest step of a
// connection on the controller; a KeyObject made once signs an ed25519 challenge in about 0.1 ms. A fleet
// logs in with one key, so a run of 1,000 hosts parses it once instead of 1,000 times.
import { createPrivateKey, sign, type KeyObject } from 'node:crypto'
import type { ParsedKey } from 'ssh2'
import keyParser from 'ssh2/lib/protocol/keyParser.js'
import { onNewRun } from '../run-state.js'

/** The digest each key type signs with when the caller names none (ssh2's own defaults). */
const DEFAULT_HASH: Record<string, string | null> = {
  'ssh-ed25519': null,
  'ecdsa-sha2-nistp256': 'sha256',
  'ecdsa-sha2-nistp384': 'sha384',
  'ecdsa-sha2-nistp521': 'sha512',
  'ssh-rsa': 'sha1',
}

/** Parsed keys by their file's content: the same bytes give the same key. */
const parsed = new Map<string, ParsedKey>()
// Private keys: held for one run only (a later one parses its key again, ~1 ms), which also bounds them.
onNewRun(() => parsed.clear())

/**
 * The key for ssh2's authHandler: parsed, signing with a KeyObject. The bytes as they are when ssh2
 * would refuse or cannot use them (an encrypted key, an unknown format or key type): ssh2 then says so
 * as it always did.
 */
export function signingKey(data: Buffer): ParsedKey | Buffer {
  const id = data.toString('latin1')
  const known = parsed.get(id)
  if (known) return known
  const key = keyParser.parseKey(data)
  if (key instanceof Error || !key.isPrivateKey() || !(key.type in DEFAULT_HASH)) return data
  let keyObject: KeyObject
  try {
    keyObject = createPrivateKey(key.getPrivatePEM())
  } catch {
    return data
  }
  const fallback = DEFAULT_HASH[key.type]
  // An own property in front of ssh2's shared prototype method; errors are returned, as ssh2's sign does.
  key.sign = ((payload: Buffer, algo?: string): Buffer | Error => {
    try {
      return sign(algo || fallback, payload, keyObject)
    } catch (err) {
      return err as Error
    }
  }) as ParsedKey['sign']
  parsed.set(id, key)
  return key
}
