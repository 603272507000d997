// The base image: debootstrap once, cached by recipe hash. Built in a temp dir and renamed into place, so
// an interrupted build never leaves a half image that looks complete. Instances share the cache, so the
// build and the pruning run under the shared 'image' lock.
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { labPaths } from './paths.js'
import { RECIPE, SETUP_SCRIPT, recipeHash } from './recipe.js'
import { run } from './run.js'
import { overlayLowerDirs, removeTree } from './mounts.js'
import { withSharedLock } from './lock.js'

export type Log = (message: string) => void

/** Returns the image directory for the current recipe, building it first when it is not cached. */
export async function ensureImage(log: Log): Promise<string> {
  const dir = labPaths.image(recipeHash())
  if (isBuilt(dir)) return dir
  if (existsSync(labPaths.sharedLock('image'))) log('another lab instance holds the image lock (building the image); waiting for it')
  return withSharedLock('image', () => buildImage(log))
}

const isBuilt = (dir: string): boolean => existsSync(join(dir, 'etc', 'os-release'))

async function buildImage(log: Log): Promise<string> {
  const hash = recipeHash()
  const dir = labPaths.image(hash)
  // Another instance may have built it while we waited for the lock.
  if (isBuilt(dir)) return dir
  const images = labPaths.images()
  mkdirSync(images, { recursive: true })
  const tmp = join(images, `.tmp-${hash}`)
  await removeTree(tmp)
  const started = Date.now()
  log(`building the base image ${hash} (debootstrap ${RECIPE.suite}; the first time takes a few minutes)`)
  await run('debootstrap', ['--variant=minbase', `--include=${RECIPE.include.join(',')}`, RECIPE.suite, tmp, RECIPE.mirror], { timeoutMs: 3_600_000 })
  log(`debootstrap done in ${seconds(started)}; downloading the offline apt cache`)
  copyFileSync('/etc/resolv.conf', join(tmp, 'etc', 'resolv.conf'))
  await run('chroot', [tmp, '/bin/sh', '-s'], { input: SETUP_SCRIPT, timeoutMs: 3_600_000 })
  // Nodes resolve each other through /etc/hosts; no resolver leaks from the build machine.
  writeFileSync(join(tmp, 'etc', 'resolv.conf'), '')
  await removeTree(dir)
  await run('mv', ['-T', tmp, dir])
  log(`base image ${hash} built in ${seconds(started)}`)
  await pruneImages([hash])
  return dir
}

/**
 * Removes images of older recipes and leftovers of interrupted builds, except those a running node of any
 * instance still has as its overlay's lower layer. Call with the 'image' lock held.
 */
export async function pruneImages(keep: string[]): Promise<void> {
  const images = labPaths.images()
  if (!existsSync(images)) return
  const inUse = new Set(overlayLowerDirs())
  for (const entry of readdirSync(images)) {
    if (!keep.includes(entry) && !inUse.has(join(images, entry))) await removeTree(join(images, entry))
  }
}

export const seconds = (since: number): string => `${((Date.now() - since) / 1000).toFixed(1)} s`
