// The CLI: the only place that prints errors and sets exit codes. Each command lives in commands/<name>.ts
// and is loaded only when invoked, so `pgha --help` and small commands start fast.
import { Command, CommanderError } from 'commander'
import { z } from 'zod'
import { PghaError, ConfigError, ConfigErrors } from '../errors.js'
import { terminalSafe } from '../output/terminal-safe.js'
import { maskSecretAssignments } from '../secrets/mask-text.js'
import { onNewRun } from '../run-state.js'
import { EXIT, exitCodeFor } from './exit-codes.js'
import { TerminalWanted } from './terminal-wanted.js'

type Register = (program: Command) => void

// zod compiles a parser for each object schema with `new Function` the first time it parses one. A run
// parses each schema a few dozen times, and generated code is not in the code cache: interpreting is
// cheaper (site.yml converged: 40 ms less CPU). Set before any command's modules build their schemas.
z.config({ jitless: true })

/** Command modules, each exporting `register(program)`. */
const commands: Record<string, () => Promise<{ register: Register }>> = {
  run: () => import('./commands/run.js'),
  render: () => import('./commands/render.js'),
  inventory: () => import('./commands/inventory.js'),
  doc: () => import('./commands/doc.js'),
  lab: () => import('./commands/lab.js'),
  demo: () => import('./commands/demo.js'),
  status: () => import('./commands/status.js'),
}

// A command's code is process.exitCode, which the next command of the same process must not inherit.
onNewRun(() => (process.exitCode = undefined))

/** `pgha doc | head`: a closed pipe ends the output, not the process with a stack trace; a terminal that
 * hung up (EIO) loses what is left to print while the run stops in order. */
function onStdoutError(err: NodeJS.ErrnoException): void {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0)
  if (err.code === 'EIO') return
  throw err
}

export async function main(argv: string[]): Promise<number> {
  // Once per process, however many commands it serves.
  if (!process.stdout.listeners('error').includes(onStdoutError)) process.stdout.on('error', onStdoutError)
  const program = new Command('pgha')
    .description('Provision and operate PostgreSQL primary/standby clusters managed by repmgr, with Ansible-like playbooks')
    .version('0.1.0')
    .exitOverride()
    // A command line commander refuses: its error as pgha prints every error, then how the command is
    // called, not the whole help (set here so every command inherits it).
    .configureOutput({ outputError: (text, write) => write(text.replace(/^error: /, 'ERROR: ')) })
  // A command that fails to load leaves the others usable; invoking it reports why it failed to load
  // (not a misleading "unknown command").
  const broken = new Map<string, unknown>()
  // Only the invoked command is loaded (its dependencies cost hundreds of ms); --version needs none, help
  // and unknown words need all.
  const first = argv[2] ?? ''
  const wanted = Object.hasOwn(commands, first) ? [first] : first === '--version' || first === '-V' ? [] : Object.keys(commands)
  for (const name of wanted) {
    const mod = await commands[name]().catch((err: unknown) => void broken.set(name, err))
    mod?.register(program)
  }
  if (broken.has(argv[2])) return report(broken.get(argv[2]))
  showUsageAfterError(program)
  try {
    await program.parseAsync(argv)
    return typeof process.exitCode === 'number' ? process.exitCode : 0
  } catch (err) {
    return report(err)
  }
}

/** The run server (src/persist/server.ts): serves `pgha run` requests on `socket` until idle that long. */
export async function serve(socket: string, idleSeconds: number): Promise<void> {
  const { serveRuns } = await import('../persist/server.js')
  await serveRuns(socket, idleSeconds)
}

/** After an error on its command line, each command prints its usage, required options first, and where the rest is. */
function showUsageAfterError(cmd: Command, name = cmd.name()): void {
  const required = cmd.options.filter((o) => o.mandatory).map((o) => `${o.short ?? o.long} ${o.flags.replace(/^.*?\s(?=[<[])/, '')}`)
  cmd.showHelpAfterError(`usage: ${[name, ...required, cmd.usage()].join(' ')}\n(${name} --help lists ${cmd.commands.length > 0 ? 'the commands' : 'every option'})`)
  for (const sub of cmd.commands) showUsageAfterError(sub, `${name} ${sub.name()}`)
}

/**
 * Prints an error the way a user needs it (positions for input errors, no stack) and returns the exit code.
 * Every command's errors pass through here: the values assigned to secret-named variables are masked (an
 * input error quotes the line it is on, which may hold a password), `scrub` masks the run's known
 * secrets, and control characters a host may have sent cannot reach the terminal.
 */
export function report(err: unknown, scrub: (text: string) => string = (t) => t): number {
  // Not an error of the command: the run server hands it back to its client (src/persist/server.ts).
  if (err instanceof TerminalWanted) throw err
  // commander printed it (help and --version exit 0).
  if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage
  const write = (text: string): void => void process.stderr.write(terminalSafe(scrub(maskSecretAssignments(text))))
  if (err instanceof ConfigErrors) {
    write(`${err.message}\n\n${err.errors.length} error${err.errors.length === 1 ? '' : 's'} in the input; no host was contacted.\n`)
  } else if (err instanceof ConfigError) {
    write(`${err.format()}\n\nno host was contacted.\n`)
  } else if (err instanceof PghaError) {
    write(`ERROR: ${err.message}\n`)
  } else {
    write(`INTERNAL ERROR: ${(err as Error)?.stack ?? String(err)}\n`)
  }
  return exitCodeFor(err)
}
