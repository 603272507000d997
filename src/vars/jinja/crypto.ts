// Hashes Ansible's filters compute: hash/md5/sha1/checksum, to_uuid (uuid5), and password_hash as
// Ansible computes it without passlib (through crypt(3)): SHA-512 and SHA-256 crypt, 5000 rounds unless
// asked, a random salt of 16 characters unless given.
import { createHash, randomInt } from 'node:crypto'
import { ValueError } from './values.js'

const ALPHABET = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

/** hashlib.new(name) names as Node's crypto spells them. */
export function digest(name: string, data: string): string {
  const node = { blake2b: 'blake2b512', blake2s: 'blake2s256', sha3_224: 'sha3-224', sha3_256: 'sha3-256', sha3_384: 'sha3-384', sha3_512: 'sha3-512' }[name] ?? name
  try {
    return createHash(node).update(data, 'utf8').digest('hex')
  } catch {
    throw new ValueError(`unsupported hash type ${name}`)
  }
}

/** uuid.uuid5(namespace, name). */
export function uuid5(namespace: string, name: string): string {
  const ns = namespace.replace(/[{}-]/g, '').replace(/^urn:uuid:/i, '')
  if (!/^[0-9a-fA-F]{32}$/.test(ns)) throw new ValueError(`Invalid value '${namespace}' for 'namespace': badly formed hexadecimal UUID string`)
  const h = createHash('sha1').update(Buffer.from(ns, 'hex')).update(name, 'utf8').digest()
  h[6] = (h[6] & 0x0f) | 0x50
  h[8] = (h[8] & 0x3f) | 0x80
  const hex = h.subarray(0, 16).toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

const ORDER_512 = [
  [0, 21, 42], [22, 43, 1], [44, 2, 23], [3, 24, 45], [25, 46, 4], [47, 5, 26], [6, 27, 48], [28, 49, 7], [50, 8, 29], [9, 30, 51], [31, 52, 10],
  [53, 11, 32], [12, 33, 54], [34, 55, 13], [56, 14, 35], [15, 36, 57], [37, 58, 16], [59, 17, 38], [18, 39, 60], [40, 61, 19], [62, 20, 41],
]
const ORDER_256 = [[0, 10, 20], [21, 1, 11], [12, 22, 2], [3, 13, 23], [24, 4, 14], [15, 25, 5], [6, 16, 26], [27, 7, 17], [18, 28, 8], [9, 19, 29]]

function b64(b2: number, b1: number, b0: number, n: number): string {
  let w = (b2 << 16) | (b1 << 8) | b0
  let out = ''
  for (let i = 0; i < n; i++) {
    out += ALPHABET[w & 0x3f]
    w >>= 6
  }
  return out
}

/** glibc's SHA-crypt ($5$ and $6$). */
function shaCrypt(algo: 'sha256' | 'sha512', password: string, salt: string, rounds: number | undefined): string {
  const H = (...parts: Buffer[]): Buffer => {
    const h = createHash(algo)
    for (const p of parts) h.update(p)
    return h.digest()
  }
  const P = Buffer.from(password, 'utf8')
  const S = Buffer.from(salt.slice(0, 16), 'utf8')
  const size = algo === 'sha512' ? 64 : 32
  const repeatTo = (src: Buffer, len: number): Buffer => Buffer.concat(Array.from({ length: Math.ceil(len / size) }, () => src)).subarray(0, len)
  const B = H(P, S, P)
  const aParts = [P, S, repeatTo(B, P.length)]
  for (let n = P.length; n > 0; n >>= 1) aParts.push(n & 1 ? B : P)
  const A = H(...aParts)
  const DP = H(...Array.from({ length: P.length }, () => P))
  const Pseq = repeatTo(DP, P.length)
  const DS = H(...Array.from({ length: 16 + A[0] }, () => S))
  const Sseq = repeatTo(DS, S.length)
  const r = rounds === undefined ? 5000 : Math.min(999_999_999, Math.max(1000, rounds))
  let C = A
  for (let i = 0; i < r; i++) {
    const parts: Buffer[] = [i & 1 ? Pseq : C]
    if (i % 3) parts.push(Sseq)
    if (i % 7) parts.push(Pseq)
    parts.push(i & 1 ? C : Pseq)
    C = H(...parts)
  }
  let out = ''
  for (const [a, b, c] of algo === 'sha512' ? ORDER_512 : ORDER_256) out += b64(C[a], C[b], C[c], 4)
  out += algo === 'sha512' ? b64(0, 0, C[63], 2) : b64(0, C[31], C[30], 3)
  const prefix = algo === 'sha512' ? '$6$' : '$5$'
  return `${prefix}${rounds === undefined ? '' : `rounds=${r}$`}${salt.slice(0, 16)}$${out}`
}

/** Ansible's password_hash without passlib. */
export function passwordHash(password: string, hashtype: string, salt: string | undefined, saltSize: number | undefined, rounds: number | undefined): string {
  const algo = { sha512: 'sha512', sha512_crypt: 'sha512', sha256: 'sha256', sha256_crypt: 'sha256' }[hashtype] as 'sha512' | 'sha256' | undefined
  if (!algo) throw new ValueError(`password_hash: '${hashtype}' is not supported by pgha (sha512 and sha256 are)`)
  const implicit = algo === 'sha512' ? 656000 : 535000
  const s = salt ?? Array.from({ length: saltSize ?? 16 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('')
  if (/[^./0-9A-Za-z]/.test(s)) throw new ValueError('invalid characters in salt')
  if (s.length > 16) throw new ValueError('invalid salt size')
  return shaCrypt(algo, password, s, rounds === implicit ? undefined : rounds)
}
