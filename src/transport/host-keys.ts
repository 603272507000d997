// Host key policy: a known key passes, a changed key is always refused (both fingerprints shown), an
// unknown key is refused unless accept-new is on, in which case it is recorded. Appends to one known_hosts
// file are serialized within the process and written atomically (temp + rename), so many hosts connecting
// at once lose no entry.
import { readFileSync } from 'node:fs'
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

/** Each file's index, with the text it was built from. */
const indexes = new Map<string, { text: string; index: KnownHostsIndex }>()

// Read synchronously: a known_hosts file is small, and connecting starts without waiting for the event loop
// (see openSshClient). Read at every connect but parsed only when its text changed: a fleet's file has a
// line per host, and parsing and matching it for each host made connecting N hosts cost N x N.
function readEntries(file: string): KnownHostsIndex {
  let text
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new KnownHostsIndex([])
    throw err
  }
  const cached = indexes.get(file)
  if (cached?.text === text) return cached.index
  const index = new KnownHostsIndex(parseKnownHosts(text))
  indexes.set(file, { text, index })
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
  return next
}
