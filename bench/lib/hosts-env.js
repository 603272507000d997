// The many-hosts bench's hosts: one sshd in a private network namespace answering on every loopback
// address, so that host N is 127.0.X.Y (127.0.1.1 onwards, 250 to a /24), each a distinct inventory host
// with its own files. The login user is a throwaway system user whose shell is plain `sh`: a root login
// here would run root's shell start-up files in every session. The controller runs inside the namespace
// too (`ip netns exec`), which is why every command the bench measures goes through `nsCommand`.
// Everything this creates is named with PREFIX and removed afterwards; a namespace left by a bench that
// died (its owning pid gone) is removed by the next one.
import { execFileSync, spawn } from 'node:child_process'
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

// Not `pgha-...`: the lab takes namespaces named so for its own nodes and removes them.
const PREFIX = 'benchhosts-'
/** The throwaway login user, a system account with a home of its own and `sh` as its shell. */
export const BENCH_USER = 'pgha-bench-hosts'
const BENCH_HOME = '/var/lib/pgha-bench-hosts'

/** The address of the i-th host (0-based): 127.0.1.1 ... 127.0.1.250, 127.0.2.1 ... */
export function hostAddress(i) {
  return `127.0.${1 + Math.floor(i / 250)}.${1 + (i % 250)}`
}

/** `h0001` ... */
export const hostName = (i) => `h${String(i + 1).padStart(4, '0')}`

const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...opts })
const tryRun = (cmd, args) => { try { return run(cmd, args) } catch { return '' } }

function alive(pid) {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return err.code === 'EPERM'
  }
}

/** Ends every process in a namespace (only ever one of ours: its name carries PREFIX) and deletes it. */
function removeNamespace(ns) {
  for (const pid of tryRun('ip', ['netns', 'pids', ns]).split('\n').map(Number).filter((p) => p > 0)) {
    try { process.kill(pid, 'SIGKILL') } catch { /* gone already */ }
  }
  tryRun('ip', ['netns', 'del', ns])
}

/** Namespaces of earlier benches whose process is gone. @returns {string[]} the ones removed */
export function removeStaleNamespaces() {
  const stale = tryRun('ip', ['netns', 'list']).split('\n').map((l) => l.split(' ')[0])
    .filter((ns) => ns.startsWith(PREFIX) && !alive(Number(ns.slice(PREFIX.length))))
  stale.forEach(removeNamespace)
  return stale
}

function ensureUser() {
  if (!tryRun('getent', ['passwd', BENCH_USER])) {
    run('useradd', ['--system', '--create-home', '--home-dir', BENCH_HOME, '--shell', '/bin/sh', BENCH_USER])
  }
  // A locked password ('!') makes sshd without PAM refuse even a key; '*' allows keys and no password.
  run('usermod', ['-p', '*', BENCH_USER])
}

/** Where each host's files go (an extra var: the workload's play sets its own bench_dir). */
export const HOSTS_BENCH_DIR = `${BENCH_HOME}/work/{{ inventory_hostname }}`

/** Removes the user and its home (every host's files). */
function removeUser() {
  tryRun('userdel', ['--remove', BENCH_USER])
  rmSync(BENCH_HOME, { recursive: true, force: true })
}

function sshdConfig(dir, maxStartups) {
  return [
    'Port 22',
    'ListenAddress 0.0.0.0',
    `HostKey ${join(dir, 'host_ed25519')}`,
    `PidFile ${join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    'StrictModes no',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'UseDNS no',
    'PrintMotd no',
    `AllowUsers ${BENCH_USER}`,
    // One sshd stands in for every host here, so it sees all the controller's handshakes at once; each of
    // a real fleet's hosts sees one. The bench sets what that one sshd needs (see README, many hosts).
    `MaxStartups ${maxStartups}`,
    'Subsystem sftp internal-sftp',
    'LogLevel ERROR',
    '',
  ].join('\n')
}

/**
 * Creates the namespace, the user, keys and sshd; writes the inventory of `count` hosts.
 * @param {{ dir: string, maxStartups?: string, log: (m: string) => void }} o
 * @returns {Promise<{ ns: string, dir: string, inventory: (count: number) => string, nsCommand: (cmd: string, args: string[]) => { cmd: string, args: string[] }, sshdCpuMs: () => number, close: () => void }>}
 */
export async function hostsUp(o) {
  for (const ns of removeStaleNamespaces()) o.log(`removed the stale namespace ${ns}`)
  const ns = `${PREFIX}${process.pid}`
  const dir = o.dir
  mkdirSync(dir, { recursive: true })
  ensureUser()
  run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'host_ed25519')])
  run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'id_ed25519')])
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'id_ed25519.pub')))
  const { uid } = { uid: Number(run('id', ['-u', BENCH_USER]).trim()) }
  chownSync(join(dir, 'authorized_keys'), uid, -1)
  chmodSync(dir, 0o755)
  const hostKey = readFileSync(join(dir, 'host_ed25519.pub'), 'utf8').split(' ').slice(0, 2).join(' ')
  // One line per address, as a fleet's known_hosts has.
  writeFileSync(join(dir, 'known_hosts'), Array.from({ length: 1000 }, (_, i) => `${hostAddress(i)} ${hostKey}\n`).join(''))
  writeFileSync(join(dir, 'sshd_config'), sshdConfig(dir, o.maxStartups ?? '1000:30:1000'))
  run('ip', ['netns', 'add', ns])
  const nsCommand = (cmd, args) => ({ cmd: 'ip', args: ['netns', 'exec', ns, cmd, ...args] })
  const close = () => {
    // By its pid file too: a namespace deleted under it (by hand) leaves sshd running without one.
    try { process.kill(Number(readFileSync(join(dir, 'sshd.pid'), 'utf8')), 'SIGTERM') } catch { /* not running */ }
    removeNamespace(ns)
    removeUser()
  }
  try {
    run('ip', ['-n', ns, 'link', 'set', 'lo', 'up'])
    const log = join(dir, 'sshd.log')
    const sshd = spawn('ip', ['netns', 'exec', ns, '/usr/sbin/sshd', '-D', '-f', join(dir, 'sshd_config'), '-E', log], { stdio: 'ignore', detached: true })
    sshd.unref()
    const until = Date.now() + 10_000
    while (!existsSync(join(dir, 'sshd.pid'))) {
      if (Date.now() > until || sshd.exitCode !== null) throw new Error(`sshd did not start: ${existsSync(log) ? readFileSync(log, 'utf8') : ''}`)
      await new Promise((r) => setTimeout(r, 50))
    }
  } catch (err) {
    close()
    throw err
  }
  const inventory = (count) => {
    const file = join(dir, `inventory-${count}.yml`)
    const hosts = Array.from({ length: count }, (_, i) => `    ${hostName(i)}: { ansible_host: ${hostAddress(i)} }`)
    writeFileSync(file, [
      'all:',
      '  vars:',
      `    ansible_user: ${BENCH_USER}`,
      `    ansible_ssh_private_key_file: ${join(dir, 'id_ed25519')}`,
      `    ansible_ssh_common_args: -o UserKnownHostsFile=${join(dir, 'known_hosts')}`,
      '  hosts:',
      ...hosts,
      '',
    ].join('\n'))
    return file
  }
  // The hosts' side of a run: sshd's CPU time and that of every session it has reaped (each connection's
  // sshd, the login shell and the commands it ran), as user + system ms.
  const sshdCpuMs = () => {
    const fields = readFileSync(`/proc/${Number(readFileSync(join(dir, 'sshd.pid'), 'utf8'))}/stat`, 'utf8').replace(/^.*\) /, '').split(' ')
    const ticks = [11, 12, 13, 14].reduce((n, i) => n + Number(fields[i]), 0)
    return (ticks * 1000) / Number(run('getconf', ['CLK_TCK']).trim())
  }
  return { ns, dir, inventory, nsCommand, sshdCpuMs, close }
}
