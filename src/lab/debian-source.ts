// Upstream source tarballs for the playbooks that build from source, fetched only through apt (the one
// registry this machine may use: `apt-get source --download-only`, Debian's .orig tarball checked against
// the signed .dsc) and cached under PGHA_LAB_DIR/src for every instance.
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { PghaError } from '../errors.js'
import { labPaths } from './paths.js'
import { run, tryRun } from './run.js'
import { withSharedLock } from './lock.js'

const SOURCES_FILE = '/etc/apt/sources.list.d/pgha-lab-src.sources'
const DEB_SRC = `Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
`

/** A Debian source package whose upstream tarball the lab needs. */
export interface DebianSource {
  /** The source package's name (repmgr, postgresql-15). */
  pkg: string
  /** The upstream version wanted; undefined: the one bookworm has. */
  version?: string
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** The upstream version of a `<pkg>_<version>.orig.tar.<gz|bz2|xz>` file name of `src`, or undefined. */
export function upstreamVersionOf(src: DebianSource, file: string): string | undefined {
  const m = new RegExp(`^${escape(src.pkg)}_([^_/-]+)\\.orig\\.tar\\.(gz|bz2|xz)$`).exec(file)
  return m && (src.version === undefined || m[1] === src.version) ? m[1] : undefined
}

/** Version strings compared field by field, numbers as numbers (15.9 < 15.18). */
const byVersion = (a: string, b: string): number => a.localeCompare(b, 'en', { numeric: true })

/** The newest matching tarball in `dir`, or undefined. */
export function tarballIn(src: DebianSource, files: string[]): string | undefined {
  return files.filter((f) => upstreamVersionOf(src, f)).sort((a, b) => byVersion(upstreamVersionOf(src, a)!, upstreamVersionOf(src, b)!)).pop()
}

/** Path of the package's upstream tarball (Debian's .orig.tar.*), downloaded once for every instance. */
export async function ensureDebianSource(src: DebianSource): Promise<string> {
  const dir = labPaths.src()
  mkdirSync(dir, { recursive: true })
  const cached = tarballIn(src, readdirSync(dir))
  if (cached) return join(dir, cached)
  // Two instances downloading into the same directory would verify each other's half-written files.
  return withSharedLock('src', () => download(src, dir), 1_800_000)
}

async function download(src: DebianSource, dir: string): Promise<string> {
  const cached = tarballIn(src, readdirSync(dir))
  if (cached) return join(dir, cached)
  const wanted = `${src.pkg}${src.version ? ` ${src.version}` : ''}`
  const listed = await tryRun('apt-cache', ['showsrc', src.pkg])
  if (listed.rc !== 0 || !listed.stdout.includes(src.version ? `Version: ${src.version}` : `Package: ${src.pkg}`)) {
    if (!existsSync(SOURCES_FILE)) writeFileSync(SOURCES_FILE, DEB_SRC)
    await run('apt-get', ['update', '-q'])
  }
  // Only the upstream tarball matters: a mirror missing Debian's packaging diff fails the command after it.
  // `/bookworm`: on Ubuntu, whose own versions differ (24.04 has repmgr 5.4), the Debian 12 one.
  const r = await tryRun('sh', ['-c', 'cd "$1" && apt-get source --download-only -q "$2/bookworm"', 'sh', dir, src.pkg])
  const got = tarballIn(src, readdirSync(dir))
  if (!got) throw new PghaError('internal', `lab: apt-get source ${src.pkg} gave no ${wanted} tarball in ${dir}:\n${r.stderr}`)
  verifyAgainstDsc(src, dir, got)
  return join(dir, got)
}

/** The .dsc is signed metadata apt checked; the tarball must match its SHA-256, or it is removed. */
function verifyAgainstDsc(src: DebianSource, dir: string, tarball: string): void {
  const prefix = `${src.pkg}_${upstreamVersionOf(src, tarball)}`
  const dsc = readdirSync(dir).find((f) => f.startsWith(prefix) && f.endsWith('.dsc'))
  if (!dsc) return
  const text = readFileSync(join(dir, dsc), 'utf8')
  const sums = text.split('Checksums-Sha256:')[1] ?? ''
  const want = sums.split('\n').map((l) => l.trim().split(/\s+/)).find((f) => f[2] === tarball)?.[0]
  const have = createHash('sha256').update(readFileSync(join(dir, tarball))).digest('hex')
  if (want && want !== have) {
    rmSync(join(dir, tarball))
    throw new PghaError('internal', `lab: ${tarball} does not match the SHA-256 in ${dsc}; removed it`)
  }
}
