// The client key as publickey authentication signs with it: parsed once, its signatures still those
// the server verifies with the public key, for every key type ssh-keygen makes.
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ParsedKey } from 'ssh2'
import keyParser from 'ssh2/lib/protocol/keyParser.js'
import { describe, expect, it } from 'vitest'
import { signingKey } from '../../src/transport/signing-key.js'

const dir = mkdtempSync(join(tmpdir(), 'pgha-signing-'))
let made = 0
function keyFile(type: string, bits: string[] = [], passphrase = ''): { key: Buffer; pub: Buffer } {
  const file = join(dir, `key-${++made}`)
  execFileSync('ssh-keygen', ['-q', '-t', type, ...bits, '-N', passphrase, '-f', file])
  return { key: readFileSync(file), pub: readFileSync(`${file}.pub`) }
}

describe('signingKey', () => {
  it.each([
    ['ed25519', [], undefined],
    ['ecdsa', ['-b', '256'], undefined],
    ['ecdsa', ['-b', '521'], undefined],
    ['rsa', ['-b', '2048'], 'sha256'],
    ['rsa', ['-b', '2048'], 'sha512'],
  ])('signs as the %s key %j would, with the digest asked for (%s)', (type, bits, algo) => {
    const { key, pub } = keyFile(type, bits)
    const parsed = signingKey(key) as ParsedKey
    expect(Buffer.isBuffer(parsed)).toBe(false)
    const data = randomBytes(64)
    const signature = parsed.sign(data, algo)
    expect(Buffer.isBuffer(signature)).toBe(true)
    const publicKey = keyParser.parseKey(pub) as ParsedKey
    expect(publicKey.verify(data, signature, algo)).toBe(true)
    expect(publicKey.verify(randomBytes(64), signature, algo)).toBe(false)
    // The same bytes give the same parsed key: a fleet's 1,000 logins parse it once.
    expect(signingKey(Buffer.from(key))).toBe(parsed)
  })

  it('leaves a key it cannot use as it is, for ssh2 to pass over as before (a passphrase, not a key)', () => {
    const encrypted = keyFile('ed25519', [], 'secret').key
    expect(signingKey(encrypted)).toBe(encrypted)
    const garbage = Buffer.from('not a key')
    expect(signingKey(garbage)).toBe(garbage)
  })
})
