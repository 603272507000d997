// The few error classes pgha throws. Only src/cli/ prints them and turns them into exit codes.
import { readFileSync } from 'node:fs'
import { onNewRun } from './run-state.js'

/** A position in a user's input file; line and col are 1-based. */
export interface SourceLocation {
  file: string
  line: number
  col: number
}

export type ErrorCode =
  | 'config' // bad input: exit 1, nothing contacted
  | 'unreachable' // connect/auth/host key failure or a dropped connection: exit 4
  | 'timeout' // a command exceeded its timeout
  | 'task' // a task failed on a host: exit 2
  | 'interrupted' // SIGINT: exit 130
  | 'internal'

export class PghaError extends Error {
  readonly code: ErrorCode
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.code = code
    this.name = new.target.name
  }
}

/** One problem in user input, with where it is. */
export class ConfigError extends PghaError {
  readonly loc?: SourceLocation
  constructor(message: string, loc?: SourceLocation, options?: { cause?: unknown }) {
    super('config', message, options)
    this.loc = loc
  }
  /** `file:line:col: message`, then the offending line and a caret under the column. */
  format(): string {
    return formatAt(this.message, this.loc)
  }
}

/** Every input problem found in one pass, reported at once. */
export class ConfigErrors extends PghaError {
  readonly errors: ConfigError[]
  constructor(errors: ConfigError[]) {
    super('config', errors.map((e) => e.format()).join('\n\n'))
    this.errors = errors
  }
}

/** The host could not be reached, refused us, or dropped the connection. */
export class UnreachableError extends PghaError {
  readonly host: string
  constructor(host: string, message: string, options?: { cause?: unknown }) {
    super('unreachable', message, options)
    this.host = host
  }
}

/**
 * A fact could not be read on a host: its command failed or said something its parser does not know. The
 * task that needed it fails with this message (which fact, which host, why, what the command said).
 */
export class FactError extends PghaError {
  readonly fact: string
  readonly host?: string
  constructor(fact: string, host: string | undefined, reason: string, options?: { cause?: unknown }) {
    super('task', `cannot read the ${fact} fact${host ? ` on ${host}` : ''}: ${reason}`, options)
    this.fact = fact
    this.host = host
  }
}

/**
 * What a fact's parser found is the module's own failure, worded as Ansible's module words it (a program the
 * module needs is not installed): the task fails with this message as it is, not as a fact that could not
 * be read.
 */
export class ModuleFailure extends PghaError {
  constructor(message: string) {
    super('task', message)
  }
}

export class TimeoutError extends PghaError {
  constructor(message: string) {
    super('timeout', message)
  }
}

/**
 * Runs input checks one after another and keeps every ConfigError they throw, so all problems are
 * reported at once; `attempt` returns undefined for a check that failed.
 */
export function collectConfigErrors(): { errors: ConfigError[]; attempt: <T>(fn: () => T) => T | undefined } {
  const errors: ConfigError[] = []
  const attempt = <T>(fn: () => T): T | undefined => {
    try {
      return fn()
    } catch (err) {
      if (err instanceof ConfigErrors) errors.push(...err.errors)
      else if (err instanceof ConfigError) errors.push(err)
      else throw err
      return undefined
    }
  }
  return { errors, attempt }
}

const sourceCache = new Map<string, string[]>()
// By path, and holding `-e` texts (passwords among them): a later command must quote its files as they
// are now, and this would otherwise grow with every file and `-e` of every command.
onNewRun(() => sourceCache.clear())

/** Reads the line a location points at (cached per file), or undefined when the file is not readable. */
export function sourceLine(loc: SourceLocation): string | undefined {
  let lines = sourceCache.get(loc.file)
  if (!lines) {
    try {
      lines = readFileSync(loc.file, 'utf8').split('\n')
    } catch {
      return undefined
    }
    sourceCache.set(loc.file, lines)
  }
  return lines[loc.line - 1]
}

/** Registers text for a pseudo-file (e.g. `-e` values) so carets can be shown for it too. */
export function registerSource(file: string, text: string): void {
  sourceCache.set(file, text.split('\n'))
}

export function formatLoc(loc: SourceLocation): string {
  return `${loc.file}:${loc.line}:${loc.col}`
}

export function formatAt(message: string, loc?: SourceLocation): string {
  if (!loc) return message
  const head = `${formatLoc(loc)}: ${message}`
  const line = sourceLine(loc)
  if (line === undefined) return head
  const gutter = `${loc.line} | `
  const caret = ' '.repeat(gutter.length + Math.max(0, loc.col - 1)) + '^'
  return `${head}\n  ${gutter}${line.replace(/\t/g, ' ')}\n  ${caret}`
}
