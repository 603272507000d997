// Mount bookkeeping: stale overlays (and debootstrap's /proc, /sys) must be unmounted before any tree
// under the lab directory is removed, or rm would walk into them.
import { readFileSync } from 'node:fs'
import { run, tryRun } from './run.js'

/** Mount points at or below `dir`, deepest first. */
export function mountsUnder(dir: string): string[] {
  const prefix = dir.replace(/\/+$/, '')
  const points = readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((p): p is string => !!p)
    .map((p) => p.replace(/\\040/g, ' '))
    .filter((p) => p === prefix || p.startsWith(`${prefix}/`))
  return [...new Set(points)].sort((a, b) => b.length - a.length)
}

export async function unmountUnder(dir: string): Promise<void> {
  for (const point of mountsUnder(dir)) {
    const r = await tryRun('umount', [point])
    if (r.rc !== 0) await tryRun('umount', ['-l', point])
  }
}

/** Unmounts then removes a tree without crossing into any other filesystem. */
export async function removeTree(dir: string): Promise<void> {
  await unmountUnder(dir)
  await run('rm', ['-rf', '--one-file-system', dir])
}
