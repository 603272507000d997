// A fact is a read-only command with a pure parse, cached per (host, become user, name, args).
// Fact commands never change the host, so check mode can run them.
import type { ExecResult } from '../transport/types.js'

export type FactRunner = (command: string) => Promise<ExecResult>

export interface FactDef<A, T> {
  /** Unique name, also the cache key prefix. */
  name: string
  /** The POSIX sh command that reads the fact. Must not modify anything. */
  command(args: A): string
  /** Pure: turns the command's output into the fact. `rc` is the command's exit code. */
  parse(stdout: string, args: A, rc: number): T
  /** The same whoever reads it (OS facts): cached once per host rather than per become user. */
  anyUser?: boolean
  /**
   * How read-ahead reads the fact for many args (src/engine/read-ahead.ts); without it the fact is only
   * ever read when a plan asks for it. `joined`: its single command runs, for each args, with those of
   * every other joined fact of the batch, whatever their kinds, in one round trip (joined-batch.ts) and
   * is parsed as the single read parses it. A function: the kind's own reader, for when many args cost
   * less read together (the file fact stats every path in one command); it gives what a single read
   * would, undefined where it cannot vouch for a result, which the single read then takes over.
   */
  batch?: 'joined' | BatchReader<A, T>
  /**
   * What it reads changes without this host applying anything (another host's change, time passing: a
   * standby attaching, a daemon registering): a value serves the one plan that asks for it and is not
   * kept, and values read ahead are dropped when anything is applied on any host of the run.
   */
  volatile?: boolean
  /**
   * Reading it with these args costs in proportion to data on the host (hashing a whole file): read-ahead
   * reads it only for a task sure to run (read-ahead.ts guessWhole); a task that runs after all reads it itself.
   */
  costly?(args: A): boolean
}

/** A fact kind's own reader of many args at once. */
export type BatchReader<A, T> = (list: A[], run: FactRunner) => Promise<(T | undefined)[]>

/** One fact a module's plan will read: what read-ahead fetches for the tasks to come. */
export interface FactRead<A = any, T = any> {
  def: FactDef<A, T>
  args: A
}
