// `pgha run PLAYBOOK -i INVENTORY ...`: validates, runs, reports, and exits like ansible-playbook.
import type { Command } from 'commander'
import { runPlaybook } from '../../engine/index.js'
import { createReporter, defaultColor, type ReporterKind } from '../../output/index.js'
import { scrub } from '../../secrets/index.js'
import { exitCodeOf } from '../exit-codes.js'
import { report } from '../index.js'
import { choiceOption, collect, commaList, positiveInt, seconds } from '../options.js'
import { addBecomePasswordOptions, addVaultOptions, becomePasswordExtraVars, useVaultFlags, type BecomePasswordFlags, type VaultFlags } from '../secret-options.js'
import { onStopSignals } from '../signals.js'

const OUTPUTS: readonly ReporterKind[] = ['auto', 'plain', 'json', 'tty']

export interface RunFlags extends BecomePasswordFlags, Partial<VaultFlags> {
  inventory: string
  extraVars: string[]
  check?: boolean
  diff?: boolean
  limit?: string
  tags: string[]
  skipTags: string[]
  startAtTask?: string
  forks: number
  output: ReporterKind
  verbose: number
  acceptNewHostKeys?: boolean
  timeout: number
}

export function register(program: Command): void {
  const run = program
    .command('run')
    .description('run a playbook against the hosts of an inventory')
    .argument('<playbook>', 'playbook file (YAML)')
    .requiredOption('-i, --inventory <path>', 'inventory file or directory (INI or YAML, with group_vars/ and host_vars/)')
    .option('-e, --extra-vars <vars>', 'extra variables: k=v pairs, JSON, or @file.yml (repeatable; highest precedence)', collect, [])
    .option('-C, --check', 'plan only: report what would change, change nothing')
    .option('-D, --diff', 'show the differences in files that change (or would change)')
    .option('-l, --limit <pattern>', 'further limit the hosts with a pattern (a:b, a:!b, a:&b, globs)')
    .option('-t, --tags <tags>', 'only run tasks with these tags (comma-separated)', commaList, [])
    .option('--skip-tags <tags>', 'skip tasks with these tags (comma-separated)', commaList, [])
    .option('--start-at-task <name>', 'start at the task with this name')
    .option('-f, --forks <n>', 'hosts worked on at once', positiveInt, 20)
    .addOption(choiceOption('-o, --output <format>', 'auto (progress on a terminal, plain otherwise), plain, json or tty', OUTPUTS, 'auto'))
    .option('-v, --verbose', 'more detail (repeat for more)', (_v: string, n: number) => n + 1, 0)
    .option('--accept-new-host-keys', 'trust and record host keys not yet in known_hosts (a changed key is always refused)')
    .option('-T, --timeout <seconds>', 'SSH connect timeout', seconds, 10)
  addVaultOptions(addBecomePasswordOptions(run)).action(async (playbook: string, flags: RunFlags) => {
    process.exitCode = await runCommand(playbook, flags)
  })
}

export async function runCommand(playbook: string, flags: RunFlags): Promise<number> {
  const controller = new AbortController()
  const secrets: string[] = []
  // Input errors end the run before it starts: then there is no recap to print, only the errors.
  let started = false
  // SIGINT, SIGTERM and SIGHUP: no new task starts, running commands finish (or are ended and their
  // temporary files removed), the recap is printed; a second signal quits at once.
  const signals = onStopSignals((signal) => {
    const again = signal === 'SIGINT' ? 'Ctrl-C again' : 'another signal'
    process.stderr.write(`\n${signal === 'SIGINT' ? 'interrupted' : `${signal} received`}: finishing running commands, then stopping (${again} to quit now)\n`)
    controller.abort()
  })
  try {
    const extraVars = [...flags.extraVars, ...becomePasswordExtraVars(flags)]
    useVaultFlags({ vaultPasswordFile: flags.vaultPasswordFile ?? [], askVaultPass: flags.askVaultPass, vaultId: flags.vaultId ?? [] })
    const reporter = await createReporter(flags.output, {
      verbosity: flags.verbose, diff: !!flags.diff, check: !!flags.check,
      color: defaultColor(), scrub: (s) => scrub(s, secrets),
    })
    const summary = await runPlaybook({
      playbook, inventory: flags.inventory, extraVars, check: flags.check, diff: flags.diff,
      limit: flags.limit, tags: flags.tags, skipTags: flags.skipTags, startAtTask: flags.startAtTask,
      forks: flags.forks, verbosity: flags.verbose, acceptNewHostKeys: flags.acceptNewHostKeys,
      connectTimeoutMs: flags.timeout * 1000, signal: controller.signal,
      onEvent: (e) => {
        started = true
        reporter.onEvent(e)
      },
      onSecrets: (s) => secrets.push(...s),
    }).finally(() => (started ? reporter.finish() : undefined))
    return exitCodeOf(summary.outcome === 'interrupted' ? (signals.outcome ?? 'interrupted') : summary.outcome)
  } catch (err) {
    const code = report(err, (text) => scrub(text, secrets))
    return signals.outcome ? exitCodeOf(signals.outcome) : code
  } finally {
    signals.dispose()
  }
}
