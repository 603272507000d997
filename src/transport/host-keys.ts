// Host key policy: a known key passes, a changed key is always refused (both fingerprints shown), an
// unknown key is refused unless accept-new is on, in which case it is recorded. Appends to one known_hosts
// file are serialized within the process and written atomically (temp + rename), so many hosts connecting
// at once lose no entry.
import { readFileSync, statSync } from 'node:fs'
import { readFile, rename, writeFile, mkdir } from 'node:fs/promises'
import { dirname, join, basename } from 'node:path'
import { randomToken } from './random-token.js'
import {
  algorithmsFor,
  fingerprint,
  formatEntry,
  hostKeyName,
  keyTypeOf,
  KnownHostsIndex,
  parseKnownHosts,
} from './known-hosts.js'

export interface HostKeyCheck {
  /** Inventory name, for messages. */
  host: string
  address: string
  port: number
  file: string
  acceptNew: boolean
}

export type HostKeyVerdict = { ok: true; recorded?: boolean } | { ok: false; reason: string }

/**
 * Each file's index, with the text it was built from and the file's identity then (fileStamp); `settled`
 * when that identity was taken long enough after the file's last change to vouch for its text.
 */
const indexes = new Map<string, { stamp: string; settled: boolean; text: string; index: KnownHostsIndex }>()
/** Files indexed at most: a run reads one or two, a process serving many runs may be pointed at more. */
const MAX_INDEXES = 16

/**
 * How long after a change a file's timestamps still do not tell a second change apart: a filesystem keeps
 * them in ticks (a few ms, a second or two on some), and a rewrite of the same size within one tick leaves
 * inode, size, mtime and ctime as they were.
 */
const TIMESTAMP_TICK_NS = 2_000_000_000n

// Read synchronously: a known_hosts file is small, and connecting starts without waiting for the event loop
// (see openSshClient). Looked at (stat) at every connect, read and parsed only when it changed: a fleet's
// file has a line per host, so reading it for each host made connecting N hosts cost N x N, and parsing
// and matching it did so even more. A file changed within a timestamp tick of that look is read again and
// its text compared, since its stat cannot vouch for it: a key swapped for another of the same length is
// a rewrite of the same size.
function readEntries(file: string): KnownHostsIndex {
  const st = statSync(file, { bigint: true, throwIfNoEntry: false })
  if (st === undefined) return new KnownHostsIndex([])
  // Its inode (pgha's own appends rename a new file over it), size and times, to the nanosecond.
  const stamp = `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`
  const cached = indexes.get(file)
  if (cached?.settled && cached.stamp === stamp) return cached.index
  const changed = st.mtimeNs > st.ctimeNs ? st.mtimeNs : st.ctimeNs
  const settled = BigInt(Date.now()) * 1_000_000n - changed > TIMESTAMP_TICK_NS
  let text
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new KnownHostsIndex([])
    throw err
  }
  const index = cached?.text === text ? cached.index : new KnownHostsIndex(parseKnownHosts(text))
  if (!indexes.has(file) && indexes.size >= MAX_INDEXES) indexes.delete(indexes.keys().next().value as string)
  indexes.set(file, { stamp, settled, text, index })
  return index
}

/** Entries for this host, for choosing host key algorithms before the handshake. */
export function knownKeyAlgorithms(c: HostKeyCheck): string[] {
  const name = hostKeyName(c.address, c.port)
  const types = readEntries(c.file).matching(name).filter((e) => !e.marker).map((e) => e.keyType)
  return [...new Set(types)].flatMap(algorithmsFor)
}

export async function checkHostKey(c: HostKeyCheck, blob: Buffer): Promise<HostKeyVerdict> {
  const name = hostKeyName(c.address, c.port)
  const offered = blob.toString('base64')
  const type = keyTypeOf(blob)
  const who = `${c.host} (${name})`
  const entries = readEntries(c.file).matching(name)
  if (entries.some((e) => e.marker === '@revoked' && e.key === offered)) {
    return { ok: false, reason: `host key for ${who} is marked @revoked in ${c.file}: ${fingerprint(blob)}` }
  }
  const plain = entries.filter((e) => !e.marker)
  if (plain.some((e) => e.keyType === type && e.key === offered)) return { ok: true }
  const changed = plain.find((e) => e.keyType === type)
  if (changed) {
    return {
      ok: false,
      reason:
        `host key for ${who} changed: known ${fingerprint(changed.key)} (${c.file}:${changed.line}), ` +
        `offered ${fingerprint(blob)}; if the host was reinstalled, remove that line and reconnect`,
    }
  }
  if (!c.acceptNew) {
    return {
      ok: false,
      reason: `host key for ${who} is unknown (${type} ${fingerprint(blob)}, not in ${c.file}); rerun with --accept-new-host-keys to trust it`,
    }
  }
  await appendEntry(c.file, formatEntry(name, blob))
  return { ok: true, recorded: true }
}

const fileLocks = new Map<string, Promise<unknown>>()

/** Appends a line unless present; serialized per file, written as temp + rename. */
export function appendEntry(file: string, line: string): Promise<void> {
  const prev = fileLocks.get(file) ?? Promise.resolve()
  const next = prev.catch(() => undefined).then(async () => {
    let text = ''
    try {
      text = await readFile(file, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
      await mkdir(dirname(file), { recursive: true, mode: 0o700 })
    }
    if (text.split('\n').includes(line)) return
    const tmp = join(dirname(file), `.${basename(file)}.${randomToken(4)}.tmp`)
    // Created exclusively (a link planted at the temp name is not written through) and 0600; the rename
    // then replaces the known_hosts name itself.
    await writeFile(tmp, `${text}${text === '' || text.endsWith('\n') ? '' : '\n'}${line}\n`, { mode: 0o600, flag: 'wx' })
    await rename(tmp, file)
  })
  fileLocks.set(file, next)
  // The last append to a file leaves no lock behind: a process serving many runs writes many files.
  void next.catch(() => undefined).then(() => {
    if (fileLocks.get(file) === next) fileLocks.delete(file)
  })
  return next
}
