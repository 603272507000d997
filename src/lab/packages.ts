// The Debian packages the lab needs on this machine, listed once in scripts/lab-packages.txt (which .ci/run
// reads too). `lab up` installs the missing ones itself when it runs as root, saying so first; otherwise
// it stops with the exact command to run. Machines without dpkg are left to labSupport's tool check.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ConfigError, PghaError } from '../errors.js'
import { projectRoot } from '../project-root.js'
import { seconds, type Log } from './image.js'
import { run, tryRunSync } from './run.js'

/** Debian policy for package names: lower case letters, digits, `+`, `-`, `.`, starting alphanumeric. */
const PACKAGE_NAME = /^[a-z0-9][a-z0-9+.-]+$/

export const labPackagesFile = (): string => join(projectRoot(), 'scripts', 'lab-packages.txt')

/**
 * The package names of a list: every word outside `#` comments, in order, each once. A word that cannot
 * be a Debian package name is an error naming its file:line:col (.ci/run would pass it to apt-get).
 */
export function parsePackageList(text: string, file: string): string[] {
  const names: string[] = []
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*/, '')
    for (const m of line.matchAll(/\S+/g)) {
      const loc = { file, line: i + 1, col: m.index + 1 }
      if (!PACKAGE_NAME.test(m[0])) throw new ConfigError(`"${m[0]}" is not a Debian package name`, loc)
      if (!names.includes(m[0])) names.push(m[0])
    }
  })
  if (names.length === 0) throw new ConfigError('the list names no package', { file, line: 1, col: 1 })
  return names
}

export function labPackages(file = labPackagesFile()): string[] {
  return parsePackageList(readFileSync(file, 'utf8'), file)
}

/** The packages `dpkg-query -W -f '${Package} ${Status}\n'` reports as installed. */
export function installedFrom(dpkgOutput: string): Set<string> {
  const out = new Set<string>()
  for (const line of dpkgOutput.split('\n')) {
    const [name, ...status] = line.trim().split(/\s+/)
    if (name && status.join(' ') === 'install ok installed') out.add(name)
  }
  return out
}

/** What to do about the missing packages: nothing, install them (root), or tell the user the command. */
export type PackagePlan =
  | { action: 'none' }
  | { action: 'install'; missing: string[]; commands: string[][] }
  | { action: 'tell'; missing: string[]; command: string }

export function packagePlan(missing: string[], isRoot: boolean): PackagePlan {
  if (missing.length === 0) return { action: 'none' }
  // The package index of a fresh machine (a cloud image, a container) is often empty or stale.
  const commands = [['apt-get', 'update', '-q'], ['apt-get', 'install', '-y', '-q', '--no-install-recommends', ...missing]]
  if (isRoot) return { action: 'install', missing, commands }
  return { action: 'tell', missing, command: commands.map((c) => `sudo ${c.filter((a) => a !== '-q').join(' ')}`).join(' && ') }
}

/** The listed packages dpkg does not have installed, or undefined on a machine without dpkg. */
export function missingPackages(packages: string[]): string[] | undefined {
  const r = tryRunSync('dpkg-query', ['-W', '-f', '${Package} ${Status}\\n', ...packages])
  // rc 1 only says some name is unknown to dpkg; 127 (or anything else) that there is no dpkg.
  if (r.rc !== 0 && r.rc !== 1) return undefined
  const installed = installedFrom(r.stdout)
  return packages.filter((p) => !installed.has(p))
}

/** Installs what the lab needs and this machine lacks; as non-root, throws with the command to run. */
export async function ensureLabPackages(log: Log, opts: { isRoot?: boolean; file?: string } = {}): Promise<void> {
  if (process.platform !== 'linux') return
  const isRoot = opts.isRoot ?? process.getuid?.() === 0
  const packages = labPackages(opts.file)
  const missing = missingPackages(packages)
  if (!missing) return
  const plan = packagePlan(missing, isRoot)
  if (plan.action === 'none') return
  if (plan.action === 'tell') {
    throw new PghaError('internal', `lab: cannot run here: it needs root, and the Debian packages ${plan.missing.join(', ')}. Install them with:\n  ${plan.command}\nthen run this command again as root`)
  }
  log(`installing the Debian packages the lab needs (listed in ${opts.file ?? labPackagesFile()}): ${plan.missing.join(' ')}`)
  const started = Date.now()
  for (const [file, ...args] of plan.commands) {
    log(`${file} ${args.join(' ')}`)
    await run(file!, args, { env: { DEBIAN_FRONTEND: 'noninteractive' }, timeoutMs: 1_800_000 })
  }
  log(`installed ${plan.missing.join(', ')} in ${seconds(started)}`)
}
