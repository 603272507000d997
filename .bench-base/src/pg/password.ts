// Role passwords without the clear text ever leaving the controller: the stored verifier (pg_authid) is
// checked here, and a new password is sent as a SCRAM-SHA-256 verifier that PostgreSQL stores as is.
import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto'

const SCRAM = /^SCRAM-SHA-256\$(\d+):([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+):([A-Za-z0-9+/=]+)$/
const MD5 = /^md5[0-9a-f]{32}$/

/** A password already in PostgreSQL's stored form (given pre-hashed, as Ansible allows). */
export function isVerifier(password: string): boolean {
  return SCRAM.test(password) || MD5.test(password)
}

/** RFC 7677 verifier in PostgreSQL's format, 4096 iterations like the server's default. */
export function scramVerifier(password: string, salt: Buffer = randomBytes(16), iterations = 4096): string {
  const { storedKey, serverKey } = scramKeys(password, salt, iterations)
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`
}

/** Whether `password` (clear or pre-hashed) is what `stored` verifies; false when nothing is stored. */
export function passwordMatches(password: string, stored: string | null, role: string): boolean {
  if (stored === null || stored === '') return false
  if (isVerifier(password)) return password === stored
  if (MD5.test(stored)) return stored === `md5${createHash('md5').update(password + role).digest('hex')}`
  const m = SCRAM.exec(stored)
  if (!m) return false
  const { storedKey, serverKey } = scramKeys(password, Buffer.from(m[2], 'base64'), Number(m[1]))
  return safeEqual(storedKey, Buffer.from(m[3], 'base64')) && safeEqual(serverKey, Buffer.from(m[4], 'base64'))
}

function scramKeys(password: string, salt: Buffer, iterations: number): { storedKey: Buffer; serverKey: Buffer } {
  // PostgreSQL SASLpreps the password; NFKC covers it for every password without prohibited characters.
  const salted = pbkdf2Sync(password.normalize('NFKC'), salt, iterations, 32, 'sha256')
  const clientKey = createHmac('sha256', salted).update('Client Key').digest()
  return {
    storedKey: createHash('sha256').update(clientKey).digest(),
    serverKey: createHmac('sha256', salted).update('Server Key').digest(),
  }
}

function safeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b)
}
