// One node: an overlay of the image with its own identity (hostname, machine id, host keys, lab key),
// booted by systemd-nspawn in the node's network namespace and detached so it outlives `pgha lab up`. A
// small launcher shell runs nspawn and starts it again when the node reboots itself (`reboot`, Ansible's
// reboot module): nspawn then exits 133, as a server's firmware would boot it again.
import { randomBytes } from 'node:crypto'
import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, openSync, closeSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { execa } from 'execa'
import { PghaError } from '../errors.js'
import { machineOf, markOf, netnsOf, nodePaths } from './paths.js'
import { RECIPE } from './recipe.js'
import { removeTree } from './mounts.js'
import { run } from './run.js'
import { LAUNCHER, MARK, alive, isNodeNspawn, launcherOf, leaderOf, stopNspawn } from './processes.js'
import { tryRun } from './run.js'

export interface LabNode {
  name: string
  address: string
}

/** Host keys live outside the overlay, so a node keeps its identity (and known_hosts stays valid) across resets. */
async function ensureHostKeys(node: string): Promise<string> {
  const dir = join(nodePaths(node).hostKeys, 'etc', 'ssh')
  if (!existsSync(join(dir, 'ssh_host_ed25519_key'))) {
    mkdirSync(dir, { recursive: true })
    await run('ssh-keygen', ['-A', '-f', nodePaths(node).hostKeys])
  }
  return dir
}

/** Mounts a fresh overlay of `image` and writes the node's identity into it. */
export async function prepareNode(node: LabNode, all: LabNode[], image: string, labPubKey: string): Promise<void> {
  const p = nodePaths(node.name)
  await removeTree(p.upper)
  await removeTree(p.work)
  await removeTree(p.root)
  for (const d of [p.upper, p.work, p.root]) mkdirSync(d, { recursive: true })
  await run('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${image},upperdir=${p.upper},workdir=${p.work}`, p.root])
  const etc = join(p.root, 'etc')
  writeFileSync(join(etc, 'hostname'), `${node.name}\n`)
  writeFileSync(join(etc, 'machine-id'), `${randomBytes(16).toString('hex')}\n`)
  writeHosts(p.root, all)
  const keys = await ensureHostKeys(node.name)
  for (const f of readdirSync(keys)) {
    copyFileSync(join(keys, f), join(etc, 'ssh', f))
    chmodSync(join(etc, 'ssh', f), f.endsWith('.pub') ? 0o644 : 0o600)
  }
  const user = RECIPE.user.name
  const { uid, gid } = passwdEntry(p.root, user)
  for (const [home, owner] of [['root', { uid: 0, gid: 0 }], [`home/${user}`, { uid, gid }]] as const) {
    const file = join(p.root, home, '.ssh', 'authorized_keys')
    writeFileSync(file, labPubKey, { mode: 0o600 })
    chownSync(file, owner.uid, owner.gid)
  }
}

/** /etc/hosts with every node, so nodes reach each other by name. */
export function writeHosts(root: string, all: LabNode[]): void {
  const lines = ['127.0.0.1\tlocalhost', '::1\tlocalhost ip6-localhost ip6-loopback', ...all.map((n) => `${n.address}\t${n.name}`)]
  writeFileSync(join(root, 'etc', 'hosts'), `${lines.join('\n')}\n`)
}

function passwdEntry(root: string, user: string): { uid: number; gid: number } {
  const line = readFileSync(join(root, 'etc', 'passwd'), 'utf8').split('\n').find((l) => l.startsWith(`${user}:`))
  if (!line) throw new PghaError('internal', `lab: the image has no user ${user}`)
  const f = line.split(':')
  return { uid: Number(f[2]), gid: Number(f[3]) }
}

/**
 * nspawn's exit status when the container rebooted (its init died of the SIGHUP a reboot() in a pid
 * namespace sends); poweroff exits 0 and a killed init 1, so `lab down` and a hard `lab reboot` end the loop.
 */
const REBOOTED = 133
const LOOP = `while :; do "$@"; rc=$?; [ "$rc" -eq ${REBOOTED} ] || exit "$rc"; done`

/**
 * Starts the node's launcher detached (own session, output to the node's log) and records its pid: it runs
 * systemd-nspawn, again each time the node reboots itself.
 */
export function bootNode(node: string): number {
  const p = nodePaths(node)
  // execa's types name only fds 3..9, but any open fd is passed straight to spawn; an fd (not a pipe)
  // lets nspawn outlive us without SIGPIPE.
  const out = openSync(p.log, 'w') as 3
  try {
    const child = execa('sh', ['-c', LOOP, LAUNCHER, 'systemd-nspawn',
      '--boot', '--register=no', '--keep-unit', `--network-namespace-path=/run/netns/${netnsOf(node)}`,
      // The machine name carries the instance (for ps and logs); the hostname stays the node's name.
      '-D', p.root, `--machine=${machineOf(node)}`, `--hostname=${node}`, '--console=read-only', '--resolv-conf=off',
      '--link-journal=no', '--timezone=off', `--setenv=${MARK}=${markOf(node)}`,
    ], { detached: true, stdio: ['ignore', out, out], reject: false })
    child.catch(() => undefined)
    child.unref()
    if (!child.pid) throw new PghaError('internal', `lab: the launcher of ${node} did not start`)
    writeFileSync(p.pid, `${child.pid}\n`)
    return child.pid
  } finally {
    closeSync(out)
  }
}

/**
 * The pid of the node's running nspawn: the child of the launcher its pid file names, if still that process.
 * A node whose launcher is gone (killed) counts as not running: `lab up` clears it and boots it afresh.
 */
export function runningPid(node: string): number | undefined {
  const launcher = launcherPid(node)
  const nspawn = launcher === undefined ? undefined : leaderOf(launcher)
  return nspawn !== undefined && isNodeNspawn(nspawn, node) ? nspawn : undefined
}

/**
 * Whether the node is booted or booting: its launcher runs, though its nspawn may not be there yet (just
 * started, or between two boots). A wait for a boot gives up only when this turns false.
 */
export function nodeLaunched(node: string): boolean {
  return launcherPid(node) !== undefined
}

/** The launcher its pid file names, if it is still that process. */
function launcherPid(node: string): number | undefined {
  try {
    const pid = Number(readFileSync(nodePaths(node).pid, 'utf8').trim())
    return pid > 0 && alive(pid) && isNodeNspawn(pid, node) ? pid : undefined
  } catch {
    return undefined
  }
}

/**
 * Ends the node's launcher (found through /proc: its pid file may be gone), so that stopping its nspawn
 * does not start the node again. Its nspawn, reparented, keeps running until stopped.
 */
export async function endLauncher(node: string): Promise<void> {
  const pid = launcherOf(node)
  if (pid !== undefined) await tryRun('kill', ['-s', 'KILL', String(pid)])
}

/** Stops the container and unmounts and removes its overlay (host keys stay). */
export async function stopNode(node: string, pid = runningPid(node)): Promise<void> {
  await endLauncher(node)
  if (pid) await stopNspawn(pid)
  const p = nodePaths(node)
  for (const dir of [p.root, p.upper, p.work]) await removeTree(dir)
}

/** Last lines of a node's boot log, for error messages. */
export function logTail(node: string, lines = 15): string {
  try {
    return readFileSync(nodePaths(node).log, 'utf8').trim().split('\n').slice(-lines).join('\n')
  } catch {
    return '(no log)'
  }
}
