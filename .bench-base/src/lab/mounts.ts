// Mount bookkeeping: stale overlays (and debootstrap's /proc, /sys) must be unmounted before any tree
// under the lab directory is removed, or rm would walk into them.
import { readFileSync } from 'node:fs'
import { run, tryRun } from './run.js'

const mountinfo = (): string[] => readFileSync('/proc/self/mountinfo', 'utf8').split('\n')
const unescape = (p: string): string => p.replace(/\\040/g, ' ')

/** Mount points at or below `dir`, deepest first. */
export function mountsUnder(dir: string): string[] {
  const prefix = dir.replace(/\/+$/, '')
  const points = mountinfo()
    .map((line) => line.split(' ')[4])
    .filter((p): p is string => !!p)
    .map(unescape)
    .filter((p) => p === prefix || p.startsWith(`${prefix}/`))
  return [...new Set(points)].sort((a, b) => b.length - a.length)
}

/** Lower directories of every mounted overlay: images some node (of any instance) runs on. */
export function overlayLowerDirs(): string[] {
  const dirs = mountinfo().flatMap((line) => {
    const [fstype, , options] = (line.split(' - ')[1] ?? '').split(' ')
    if (fstype !== 'overlay') return []
    const lower = (options ?? '').split(',').find((o) => o.startsWith('lowerdir='))
    return lower ? lower.slice('lowerdir='.length).split(':').map(unescape) : []
  })
  return [...new Set(dirs)]
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
