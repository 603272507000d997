// pg_wal_since's command run here for real (its shell and awk) over a stand-in pg_waldump that prints a
// listing captured on the lab, with a data directory whose pg_wal holds the segment files named.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pgWalSinceFact, type WalSince } from '../../src/facts/index.js'
import { localFact } from '../modules/local-host.js'

/** A captured pg_waldump output in test/fixtures/pg: its record lines, and the error it ended with. */
export function capturedListing(name: string): { listing: string[]; end: string } {
  const lines = readFileSync(resolve(__dirname, '../fixtures/pg', name), 'utf8').split('\n')
  return { listing: lines.filter((l) => l.startsWith('rmgr: ')), end: lines.find((l) => l.startsWith('pg_waldump: ')) ?? '' }
}

export interface StandIn {
  bindir: string
  dataDirectory: string
  /** The arguments pg_waldump was given. */
  args: () => string
  remove: () => void
}

/** A bindir whose pg_waldump prints `listing` on stdout and `error` on stderr, exiting 1 as it does. */
export function waldumpStandIn(listing: string[], error: string, segments: string[] = []): StandIn {
  const dir = mkdtempSync(join(tmpdir(), 'pgha-waldump-'))
  const bindir = join(dir, 'bin')
  const dataDirectory = join(dir, 'data')
  mkdirSync(bindir)
  mkdirSync(join(dataDirectory, 'pg_wal'), { recursive: true })
  for (const s of segments) writeFileSync(join(dataDirectory, 'pg_wal', s), '')
  writeFileSync(join(dir, 'listing.txt'), listing.length ? `${listing.join('\n')}\n` : '')
  writeFileSync(join(bindir, 'pg_waldump'), `#!/bin/sh\necho "$@" > '${dir}/args'\ncat '${dir}/listing.txt'\necho '${error}' >&2\nexit 1\n`)
  chmodSync(join(bindir, 'pg_waldump'), 0o755)
  return { bindir, dataDirectory, args: () => readFileSync(join(dir, 'args'), 'utf8').trim(), remove: () => rmSync(dir, { recursive: true, force: true }) }
}

/**
 * What pg_wal_since says of a captured listing with the fork at `start`, the segment before the fork's
 * there; with `skipBefore`, as if the records before that position had not been read (nor that segment).
 */
export async function walSince(name: string, start: string, o: { timeline?: number; skipBefore?: string } = {}): Promise<WalSince> {
  const timeline = o.timeline ?? 1
  const { listing, end } = capturedListing(name)
  const lsn = (l: string) => BigInt(`0x${/lsn: ([0-9A-F]+)\/([0-9A-F]+)/.exec(l)!.slice(1).map((h) => h.padStart(8, '0')).join('')}`)
  const read = o.skipBefore ? listing.filter((l) => lsn(l) >= lsn(`lsn: ${o.skipBefore}`)) : listing
  const stand = waldumpStandIn(read, end, o.skipBefore ? [] : [previousSegment(start, timeline)])
  try {
    return await localFact(pgWalSinceFact, { data_directory: stand.dataDirectory, bindir: stand.bindir, timeline, start })
  } finally {
    stand.remove()
  }
}

/** The file name of the 16 MB segment before the one holding `lsn`. */
function previousSegment(lsn: string, timeline: number): string {
  const [hi, lo] = lsn.split('/').map((h) => parseInt(h, 16))
  const seg = hi * 256 + Math.floor(lo / 0x1000000) - 1
  const hex = (n: number) => n.toString(16).toUpperCase().padStart(8, '0')
  return `${hex(timeline)}${hex(Math.floor(seg / 256))}${hex(seg % 256)}`
}
