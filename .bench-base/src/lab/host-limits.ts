// Every node's systemd takes inotify instances from the same host user (root, no user namespace), and
// the kernel default (128) runs out at about 10 nodes: units then fail with "Too many open files".
import { readFileSync, writeFileSync } from 'node:fs'

const LIMITS: Array<{ key: string; perNode: number; base: number }> = [
  { key: 'fs/inotify/max_user_instances', perNode: 64, base: 1024 },
  { key: 'fs/inotify/max_user_watches', perNode: 16_384, base: 524_288 },
]

/** Raises the host's inotify limits to what `nodes` containers (of every instance) need; never lowers them. */
export function ensureHostLimits(nodes: number, log: (m: string) => void): void {
  for (const { key, perNode, base } of LIMITS) {
    const file = `/proc/sys/${key}`
    const current = Number(readFileSync(file, 'utf8').trim())
    const wanted = base + perNode * nodes
    if (current >= wanted) continue
    writeFileSync(file, String(wanted))
    log(`raised ${key.replace(/\//g, '.')} from ${current} to ${wanted}`)
  }
}
