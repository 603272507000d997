// The lab through pgha's own CLI: `lab up` on a given instance (PGHA_LAB_INSTANCE), python3 on the nodes
// for Ansible, `lab down`. An instance other than 0 is refused while the CLI does not know instances,
// because it would then act on the default lab other people use.
import { execFileSync, spawn } from 'node:child_process'
import { mkdirSync, readdirSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'

/** python3-apt and what it needs beyond the lab image, as Debian 12 ships them. */
const APT_DEBS = ['python3-apt', 'python-apt-common', 'distro-info-data', 'iso-codes', 'lsb-release']

/**
 * @param {string} root @param {number} instance @param {string[]} args
 * @returns {Promise<string>} stdout; rejects with stdout and stderr when the command fails
 */
export function pgha(root, instance, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'bin', 'pgha.js'), ...args], {
      cwd: root, env: { ...process.env, PGHA_LAB_INSTANCE: String(instance) }, stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    child.stdout.on('data', (c) => { out += c })
    child.stderr.on('data', (c) => { out += c })
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`pgha ${args.join(' ')} exited ${code}:\n${out.slice(-3000)}`))))
  })
}

/** True when `pgha lab up` knows about instances (flag or env), so instance N leaves the default lab alone. */
export function labKnowsInstances(root) {
  const help = execFileSync(process.execPath, [join(root, 'bin', 'pgha.js'), 'lab', 'up', '--help'], { cwd: root, encoding: 'utf8' })
  return /--instance/.test(help)
}

/** `node1,...,nodeN` */
export const nodeNames = (count) => Array.from({ length: count }, (_, i) => `node${i + 1}`)

/**
 * Brings the instance up with exactly these nodes (reusing it when it already runs them).
 * @param {string} root @param {number} instance @param {number} count
 * @returns {Promise<string>} the inventory the lab wrote
 */
export async function labUp(root, instance, count) {
  if (instance !== 0 && !labKnowsInstances(root)) {
    throw new Error(`lab instance ${instance} asked for, but this pgha's lab has no instances: refusing to touch the default lab`)
  }
  const out = await pgha(root, instance, ['lab', 'up', '--nodes', nodeNames(count).join(',')])
  const m = /^lab: inventory (.+)$/m.exec(out)
  if (!m) throw new Error(`lab up did not say where its inventory is:\n${out}`)
  return m[1].trim()
}

/** @param {string} root @param {number} instance */
export async function labDown(root, instance) {
  await pgha(root, instance, ['lab', 'down'])
}

/**
 * Runs a playbook with pgha (setup steps, not measured).
 * @param {string} root @param {number} instance @param {string} playbook @param {string} inventory @param {number} forks
 * @param {Record<string, unknown>} [extraVars]
 */
export function pghaSetup(root, instance, playbook, inventory, forks, extraVars) {
  const extra = extraVars ? ['-e', JSON.stringify(extraVars)] : []
  return pgha(root, instance, ['run', playbook, '-i', inventory, '-f', String(forks), '-o', 'plain', ...extra])
}

/**
 * The .deb files of python3-apt for the offline nodes, downloaded once with the controller's apt-get.
 * @returns {string[]} their paths
 */
export function pythonAptDebs() {
  const dir = join(homedir(), '.cache', 'pgha-bench', 'debs')
  mkdirSync(dir, { recursive: true })
  const have = () => readdirSync(dir).filter((f) => f.endsWith('.deb'))
  if (have().length < APT_DEBS.length) execFileSync('apt-get', ['download', ...APT_DEBS], { cwd: dir, stdio: 'ignore' })
  return have().map((f) => join(dir, f))
}

/**
 * Runs `fn` with the instance up with `nodes` nodes, `prepare` first (not measured). An instance other
 * than 0 was brought up for the bench and goes down afterwards unless `keep`; instance 0 is the user's
 * own lab and is left up.
 * @param {{ root: string, instance: number, nodes: number, keep: boolean, log: (m: string) => void,
 *           prepare?: (inventory: string) => Promise<unknown> }} o
 * @param {(inventory: string) => Promise<void>} fn
 */
export async function withLab(o, fn) {
  o.log(`lab instance ${o.instance}: up with ${o.nodes} node(s)`)
  const inventory = await labUp(o.root, o.instance, o.nodes)
  try {
    await o.prepare?.(inventory)
    await fn(inventory)
  } finally {
    if (o.instance !== 0 && !o.keep) {
      o.log(`lab instance ${o.instance}: down`)
      await labDown(o.root, o.instance)
    }
  }
}

/**
 * True when the instance runs exactly node1..nodeN, each answering SSH: the lab this bench brought up is
 * still there, so a failed run is pgha's failure, not the lab's loss.
 * @param {string} root @param {number} instance @param {number} count @returns {Promise<boolean>}
 */
export async function labIntact(root, instance, count) {
  const out = await pgha(root, instance, ['lab', 'status']).catch(() => '')
  const up = out.split('\n').filter((l) => /\trunning \(pid \d+\)\tsshd: SSH-/.test(l)).map((l) => l.split('\t')[0])
  return up.sort().join(',') === nodeNames(count).sort().join(',')
}

/**
 * Waits until no lab runs in the instance (another user of it, a test, took it over), up to `maxMs`.
 * @param {string} root @param {number} instance @param {(m: string) => void} log @param {number} [maxMs]
 */
export async function waitForFreeInstance(root, instance, log, maxMs = 20 * 60_000) {
  const until = Date.now() + maxMs
  for (;;) {
    const out = await pgha(root, instance, ['lab', 'status']).catch((err) => String(err))
    if (/no lab is up/.test(out)) return
    if (Date.now() > until) throw new Error(`lab instance ${instance} still in use after ${maxMs / 60_000} min:\n${out}`)
    log(`lab instance ${instance} is in use: waiting`)
    await new Promise((resolve) => setTimeout(resolve, 15_000))
  }
}
