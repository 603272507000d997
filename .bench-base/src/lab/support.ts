// Can the lab run here? Asked by the e2e harness before anything else, so the answer names the reason.
import { existsSync, readFileSync } from 'node:fs'
import { tryRunSync } from './run.js'

const TOOLS = ['systemd-nspawn', 'debootstrap', 'ip', 'ssh-keygen', 'nsenter', 'mount', 'chroot']

export interface LabSupport {
  ok: boolean
  reason?: string
}

export function labSupport(): LabSupport {
  if (process.platform !== 'linux') return { ok: false, reason: `the lab needs Linux (this is ${process.platform})` }
  if (process.getuid?.() !== 0) return { ok: false, reason: 'the lab needs root (network namespaces, mounts, systemd-nspawn)' }
  const missing = TOOLS.filter((t) => tryRunSync('sh', ['-c', `command -v ${t}`]).rc !== 0)
  if (missing.length) return { ok: false, reason: `missing ${missing.join(', ')} (apt-get install debootstrap systemd-container iproute2 openssh-client util-linux)` }
  if (!readFileSync('/proc/filesystems', 'utf8').includes('\toverlay')) return { ok: false, reason: 'the kernel has no overlayfs' }
  // Not `pgha-...`: a teardown of instance 0 running at the same time would take it for a node's.
  const probe = `pghaprobe-${process.pid}`
  const add = tryRunSync('ip', ['netns', 'add', probe])
  if (add.rc !== 0) return { ok: false, reason: `cannot create a network namespace: ${add.stderr.trim()}` }
  tryRunSync('ip', ['netns', 'del', probe])
  if (existsSync(`/run/netns/${probe}`)) return { ok: false, reason: 'cannot remove a network namespace' }
  return { ok: true }
}
