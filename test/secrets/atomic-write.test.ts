// A file being replaced is never seen half-written. A separate process reads the file in a
// tight loop while the transport replaces it again and again; every read must be the whole old or the
// whole new content. The control writes the same contents in place (no temp file, no rename), which the
// same reader catches half-written, so the check can fail. Owner, mode and backups are checked here for
// large files; small-file owner/mode/backup cases are in test/transport/{local,ssh}.test.ts.
import { spawn } from 'node:child_process'
import { execFileSync } from 'node:child_process'
import { chownSync, chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LocalTransport, SshTransport } from '../../src/transport/index.js'
import type { Transport } from '../../src/transport/types.js'
import { haveSshd, startSshd, type TestSshd } from '../transport/sshd.js'

const NOBODY = Number(execFileSync('id', ['-u', 'nobody'], { encoding: 'utf8' }))
const isRoot = process.getuid?.() === 0

interface Reads { old: number; new: number; partial: number; missing: number }

/**
 * Reads `path` in a loop in another process until `stop` exists; counts whole-old, whole-new and other reads.
 * It says on stderr which whole version it sees each time that changes (`o`, `n`), so the writer can wait
 * until the reader has seen each version instead of sleeping and hoping a loaded machine scheduled it.
 */
function startReader(path: string, oldText: Buffer, newText: Buffer, stop: string): { reads: Promise<Reads>; ready: Promise<void>; seen: (kind: 'o' | 'n') => Promise<void> } {
  const script = `
    const fs = require('fs'); const [path, stop, oldLen, newLen, oldByte, newByte] = process.argv.slice(1)
    const n = { old: 0, new: 0, partial: 0, missing: 0 }
    const whole = (b, len, byte) => b.length === Number(len) && b[0] === Number(byte) && b[b.length - 1] === Number(byte) && b.every((x) => x === Number(byte))
    let last = ''
    while (!fs.existsSync(stop)) {
      let b
      try { b = fs.readFileSync(path) } catch { n.missing++; continue }
      let kind = ''
      if (whole(b, oldLen, oldByte)) { n.old++; kind = 'o' } else if (whole(b, newLen, newByte)) { n.new++; kind = 'n' } else n.partial++
      if (kind && kind !== last) { process.stderr.write(kind); last = kind }
    }
    process.stdout.write(JSON.stringify(n))`
  const child = spawn(process.execPath, ['-e', script, path, stop, String(oldText.length), String(newText.length), String(oldText[0]), String(newText[0])])
  let out = ''
  let latest = ''
  const waiters: { kind: string; resolve: () => void }[] = []
  child.stdout.on('data', (d: Buffer) => (out += d))
  child.stderr.on('data', (d: Buffer) => {
    latest = d.toString().slice(-1)
    for (const w of waiters.splice(0)) (latest === w.kind ? w.resolve : () => waiters.push(w))()
  })
  const seen = (kind: 'o' | 'n'): Promise<void> => (latest === kind ? Promise.resolve() : new Promise((resolve) => waiters.push({ kind, resolve })))
  const reads = new Promise<Reads>((resolve, reject) => child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as Reads) : reject(new Error(`reader exited ${code}`)))))
  return { reads, ready: seen('o'), seen }
}

const OLD = Buffer.alloc(6 * 1024 * 1024, 'a')
const NEW = Buffer.alloc(9 * 1024 * 1024, 'b')
const ROUNDS = 8

/** Replaces the file ROUNDS times (old, new, old, ...) with `write` while the reader runs. */
async function hammer(dir: string, write: (path: string, content: Buffer) => Promise<unknown>): Promise<Reads> {
  const path = join(dir, 'big.conf')
  const stop = join(dir, 'stop')
  rmSync(stop, { force: true })
  writeFileSync(path, OLD)
  const reader = startReader(path, OLD, NEW, stop)
  // The reader is looping before the first write, and has read each version before the next write
  // (on a loaded machine it may otherwise not be scheduled in between, and "both versions seen" would fail
  // by chance). The test's timeout guards against a reader that never sees one.
  await reader.ready
  for (let i = 0; i < ROUNDS; i++) {
    await write(path, i % 2 === 0 ? NEW : OLD)
    await reader.seen(i % 2 === 0 ? 'n' : 'o')
  }
  writeFileSync(stop, '')
  return reader.reads
}

const local = new LocalTransport({ host: 'localhost' })
const localDir = mkdtempSync(join(tmpdir(), 'pgha-atomic-'))
afterAll(() => rmSync(localDir, { recursive: true, force: true }))

describe('a concurrent reader never sees a partial file', () => {
  it('control: writing in place is caught half-written by the same reader', async () => {
    const dir = mkdtempSync(join(localDir, 'control-'))
    const reads = await hammer(dir, async (path, content) => {
      // In place, in chunks, as a non-atomic writer would.
      writeFileSync(path, '')
      for (let off = 0; off < content.length; off += 256 * 1024) {
        writeFileSync(path, content.subarray(off, off + 256 * 1024), { flag: 'a' })
        // Slow enough that the reader, however loaded the machine, reads some half-written state.
        await new Promise((r) => setTimeout(r, 10))
      }
    })
    expect(reads.partial).toBeGreaterThan(0)
  }, 60_000)

  it('LocalTransport: every read is the whole old or the whole new file; owner, mode and backup kept', async () => {
    await assertAtomic(local, mkdtempSync(join(localDir, 'w-')))
  }, 60_000)
})

async function assertAtomic(t: Transport, dir: string): Promise<void> {
  const reads = await hammer(dir, (path, content) => t.writeFile(path, content))
  expect(reads.partial, JSON.stringify(reads)).toBe(0)
  expect(reads.missing, JSON.stringify(reads)).toBe(0)
  // Both contents were seen, so the reader really overlapped the writes.
  expect(reads.old).toBeGreaterThan(0)
  expect(reads.new).toBeGreaterThan(0)
  expect(readdirSync(dir).filter((f) => f.startsWith('.pgha-'))).toEqual([])
  const path = join(dir, 'big.conf')
  if (isRoot) chownSync(path, NOBODY, NOBODY)
  chmodSync(path, 0o640)
  const { backupPath } = await t.writeFile(path, NEW, { backup: true })
  expect(backupPath).toMatch(new RegExp(`^${path}\\.\\d{8}T\\d{6}~$`))
  expect(readFileSync(backupPath!).equals(OLD)).toBe(true) // ROUNDS is even: the last round wrote OLD
  expect(readFileSync(path).equals(NEW)).toBe(true)
  expect(statSync(path).mode & 0o777).toBe(0o640)
  if (isRoot) expect(statSync(path)).toMatchObject({ uid: NOBODY, gid: NOBODY })
}

describe.skipIf(!haveSshd)('over SSH (SFTP for large files)', () => {
  let sshd: TestSshd
  let t: SshTransport
  beforeAll(async () => {
    sshd = await startSshd()
    t = new SshTransport(sshd.spec())
    await t.connect()
  })
  afterAll(async () => {
    await t?.close()
    sshd?.stop()
  })

  it('every read is the whole old or the whole new file; owner, mode and backup kept', async () => {
    await assertAtomic(t, mkdtempSync(join(sshd.dir, 'w-')))
  }, 60_000)
})
