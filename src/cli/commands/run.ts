// `pgha run PLAYBOOK -i INVENTORY ...`: validates, runs, reports, and exits like ansible-playbook.
import type { Command } from 'commander'
import { listPlaybook, runPlaybook } from '../../engine/index.js'
import { createReporter, defaultColor, type ReporterKind } from '../../output/index.js'
import { maskSecretAssignments, scrub } from '../../secrets/index.js'
import { exitCodeOf } from '../exit-codes.js'
import { report } from '../index.js'
import { choiceOption, commaList, positiveInt, sharedOption } from '../options.js'
import { addBecomePasswordOptions, addVaultOptions, becomePasswordOf, useVaultFlags, type BecomePasswordFlags, type VaultFlags } from '../secret-options.js'
import { onStopSignals } from '../signals.js'
import { promptTerminal } from '../prompt.js'

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
  user?: string
  connection?: string
  become?: boolean
  becomeUser?: string
  becomeMethod?: string
  privateKey?: string
  askBecomePass?: boolean
  syntaxCheck?: boolean
  listHosts?: boolean
  listTasks?: boolean
  listTags?: boolean
}

export function register(program: Command): void {
  const run = program
    .command('run')
    .description('run a playbook against the hosts of an inventory')
    .argument('<playbook>', 'playbook file (YAML)')
    .addOption(sharedOption.inventory())
    .addOption(sharedOption.extraVars())
    .option('-C, --check', 'plan only: report what would change, change nothing')
    .option('-D, --diff', 'show the differences in files that change (or would change)')
    .option('-l, --limit <pattern>', 'further limit the hosts with a pattern (a:b, a:!b, a:&b, globs)')
    .option('-t, --tags <tags>', 'only run tasks with these tags (comma-separated)', commaList, [])
    .option('--skip-tags <tags>', 'skip tasks with these tags (comma-separated)', commaList, [])
    .option('--start-at-task <name>', 'start at the task with this name')
    .option('-f, --forks <n>', 'hosts worked on at once', positiveInt, 20)
    .addOption(choiceOption('-o, --output <format>', 'auto (progress on a terminal, plain otherwise), plain, json or tty', OUTPUTS, 'auto'))
    .option('-v, --verbose', 'more detail (repeat for more)', (_v: string, n: number) => n + 1, 0)
    .addOption(sharedOption.acceptNewHostKeys())
    .addOption(sharedOption.timeout())
    .addOption(sharedOption.user())
    .addOption(choiceOption('-c, --connection <type>', 'connect this way where no variable or play keyword says (ansible_connection)', ['ssh', 'smart', 'paramiko', 'local'] as const, undefined))
    .option('-b, --become', 'run tasks as another user (sudo) where no variable or keyword says (ansible_become)')
    .option('--become-user <name>', 'the user to become where no variable or keyword names one (ansible_become_user); default: root')
    .addOption(choiceOption('--become-method <method>', 'how to become another user: pgha uses sudo', ['sudo'] as const, 'sudo'))
    .addOption(sharedOption.privateKey())
    .option('--syntax-check', 'check the playbook and its input, contact no host, run nothing')
    .option('--list-hosts', 'list the hosts each play would run on (after --limit), run nothing')
    .option('--list-tasks', 'list the tasks each play would run (after --tags/--skip-tags), run nothing')
    .option('--list-tags', 'list the tags of the tasks each play would run, run nothing')
  addVaultOptions(addBecomePasswordOptions(run)).action(async (playbook: string, flags: RunFlags) => {
    process.exitCode = await (listing(flags) ? listCommand(playbook, flags) : runCommand(playbook, flags))
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
    const becomePassword = await becomePasswordOf(flags)
    useVaultFlags({ vaultPasswordFile: flags.vaultPasswordFile ?? [], askVaultPass: flags.askVaultPass, vaultId: flags.vaultId ?? [] })
    const reporter = await createReporter(flags.output, {
      verbosity: flags.verbose, diff: !!flags.diff, check: !!flags.check,
      color: defaultColor(), scrub: (s) => scrub(s, secrets),
    })
    const summary = await runPlaybook({
      playbook, inventory: flags.inventory, extraVars: flags.extraVars, check: flags.check, diff: flags.diff,
      limit: flags.limit, tags: flags.tags, skipTags: flags.skipTags, startAtTask: flags.startAtTask,
      forks: flags.forks, verbosity: flags.verbose, acceptNewHostKeys: flags.acceptNewHostKeys,
      remoteUser: flags.user, connection: flags.connection, become: flags.become, becomeUser: flags.becomeUser,
      privateKeyFile: flags.privateKey, becomePassword,
      connectTimeoutMs: flags.timeout * 1000, signal: controller.signal,
      // vars_prompt asks on the terminal only when pgha runs on one (stdin a TTY), as Ansible does.
      prompt: process.stdin.isTTY ? promptTerminal : undefined,
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

const listing = (f: RunFlags): boolean => !!(f.syntaxCheck || f.listHosts || f.listTasks || f.listTags)

/** --syntax-check and --list-*: everything a run validates, then what it would do; nothing runs. */
function listCommand(playbook: string, flags: RunFlags): number {
  try {
    process.stdout.write(listPlaybook(
      { playbook, inventory: flags.inventory, extraVars: flags.extraVars, limit: flags.limit, tags: flags.tags, skipTags: flags.skipTags },
      { hosts: flags.listHosts, tasks: flags.listTasks, tags: flags.listTags },
    ))
    return 0
  } catch (err) {
    return report(err, maskSecretAssignments)
  }
}
