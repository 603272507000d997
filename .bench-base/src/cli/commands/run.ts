// `pgha run PLAYBOOK -i INVENTORY ...`: validates, runs, reports, and exits like ansible-playbook.
import type { Command } from 'commander'
import { runPlaybook } from '../../engine/index.js'
import { createReporter, defaultColor } from '../../output/index.js'
import { maskSecretAssignments, scrub } from '../../vars/index.js'
import { report } from '../index.js'
import { collect, commaList, positiveInt } from '../options.js'

export interface RunFlags {
  inventory: string
  extraVars: string[]
  check?: boolean
  diff?: boolean
  limit?: string
  tags: string[]
  skipTags: string[]
  startAtTask?: string
  forks: number
  output: 'auto' | 'plain' | 'json' | 'tty'
  verbose: number
  acceptNewHostKeys?: boolean
  timeout: number
}

export function register(program: Command): void {
  program
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
    .option('-o, --output <format>', 'auto (progress on a terminal, plain otherwise), plain, json or tty', 'auto')
    .option('-v, --verbose', 'more detail (repeat for more)', (_v: string, n: number) => n + 1, 0)
    .option('--accept-new-host-keys', 'trust and record host keys not yet in known_hosts (a changed key is always refused)')
    .option('-T, --timeout <seconds>', 'SSH connect timeout', positiveInt, 10)
    .action(async (playbook: string, flags: RunFlags) => {
      process.exitCode = await runCommand(playbook, flags)
    })
}

export async function runCommand(playbook: string, flags: RunFlags): Promise<number> {
  const controller = new AbortController()
  const secrets: string[] = []
  // Input errors end the run before it starts: then there is no recap to print, only the errors.
  let started = false
  let interrupts = 0
  const onSigint = (): void => {
    if (++interrupts > 1) process.exit(130)
    process.stderr.write('\ninterrupted: finishing running commands, then stopping (Ctrl-C again to quit now)\n')
    controller.abort()
  }
  process.on('SIGINT', onSigint)
  try {
    const reporter = await createReporter(flags.output, {
      verbosity: flags.verbose, diff: !!flags.diff, check: !!flags.check,
      color: defaultColor(), scrub: (s) => scrub(s, secrets),
    })
    const summary = await runPlaybook({
      playbook, inventory: flags.inventory, extraVars: flags.extraVars, check: flags.check, diff: flags.diff,
      limit: flags.limit, tags: flags.tags, skipTags: flags.skipTags, startAtTask: flags.startAtTask,
      forks: flags.forks, verbosity: flags.verbose, acceptNewHostKeys: flags.acceptNewHostKeys,
      connectTimeoutMs: flags.timeout * 1000, signal: controller.signal,
      onEvent: (e) => {
        started = true
        reporter.onEvent(e)
      },
      onSecrets: (s) => secrets.push(...s),
    }).finally(() => (started ? reporter.finish() : undefined))
    return summary.exitCode
  } catch (err) {
    return report(err, (text) => scrub(maskSecretAssignments(text), secrets))
  } finally {
    process.off('SIGINT', onSigint)
  }
}
