// Where the lab keeps its cache and state: outside the repo (PGHA_LAB_DIR), so clean clones reuse the
// image and a running lab.
import { join } from 'node:path'

export const NET = {
  bridge: 'pgha-br0',
  prefix: '10.77.0',
  hostAddress: '10.77.0.1',
} as const

export function labDir(): string {
  return process.env.PGHA_LAB_DIR || '/var/lib/pgha-lab'
}

export const labPaths = {
  images: () => join(labDir(), 'images'),
  image: (hash: string) => join(labDir(), 'images', hash),
  nodes: () => join(labDir(), 'nodes'),
  node: (name: string) => join(labDir(), 'nodes', name),
  key: () => join(labDir(), 'id_ed25519'),
  src: () => join(labDir(), 'src'),
  state: () => join(labDir(), 'state.json'),
  lock: () => join(labDir(), 'lock'),
}

/** Per-node directories: overlay upper/work, the mounted root, the boot log, the nspawn pid, host keys. */
export function nodePaths(name: string) {
  const dir = labPaths.node(name)
  return {
    dir,
    upper: join(dir, 'upper'),
    work: join(dir, 'work'),
    root: join(dir, 'root'),
    log: join(dir, 'log'),
    pid: join(dir, 'pid'),
    hostKeys: join(dir, 'hostkeys'),
  }
}

export const netnsOf = (node: string): string => `pgha-${node}`
export const vethOf = (node: string): string => `pgha-v-${node}`
