// The repmgr source tarball for the playbooks that build repmgr from source, fetched only through apt
// (the one registry this machine may use) and cached under PGHA_LAB_DIR/src.
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { PghaError } from '../errors.js'
import { labPaths } from './paths.js'
import { run, tryRun } from './run.js'
import { withSharedLock } from './lock.js'

export const REPMGR_VERSION = '5.3.3'
const SOURCES_FILE = '/etc/apt/sources.list.d/pgha-lab-src.sources'
const DEB_SRC = `Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
`

const tarballIn = (dir: string): string | undefined =>
  readdirSync(dir).find((f) => f.startsWith(`repmgr_${REPMGR_VERSION}`) && f.endsWith('.orig.tar.gz'))

/** Path of the upstream repmgr 5.3.3 tarball (Debian's .orig.tar.gz), downloaded once for every instance. */
export async function ensureRepmgrSource(): Promise<string> {
  const dir = labPaths.src()
  mkdirSync(dir, { recursive: true })
  const cached = tarballIn(dir)
  if (cached) return join(dir, cached)
  // Two instances downloading into the same directory would verify each other's half-written files.
  return withSharedLock('src', () => download(dir), 1_800_000)
}

async function download(dir: string): Promise<string> {
  const cached = tarballIn(dir)
  if (cached) return join(dir, cached)
  const listed = await tryRun('apt-cache', ['showsrc', 'repmgr'])
  if (listed.rc !== 0 || !listed.stdout.includes(`Version: ${REPMGR_VERSION}`)) {
    if (!existsSync(SOURCES_FILE)) writeFileSync(SOURCES_FILE, DEB_SRC)
    await run('apt-get', ['update', '-q'])
  }
  // Only the upstream tarball matters: a mirror missing Debian's packaging diff fails the command after it.
  const r = await tryRun('sh', ['-c', `cd "$1" && apt-get source --download-only -q repmgr`, 'sh', dir])
  const got = tarballIn(dir)
  if (!got) throw new PghaError('internal', `lab: apt-get source repmgr gave no ${REPMGR_VERSION} tarball in ${dir}:\n${r.stderr}`)
  verifyAgainstDsc(dir, got)
  return join(dir, got)
}

/** The .dsc is signed metadata apt checked; the tarball must match its SHA-256, or it is removed. */
function verifyAgainstDsc(dir: string, tarball: string): void {
  const dsc = readdirSync(dir).find((f) => f.startsWith(`repmgr_${REPMGR_VERSION}`) && f.endsWith('.dsc'))
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
