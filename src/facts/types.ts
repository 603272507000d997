// A fact is a read-only command with a pure parse, cached per (host, become user, name, args).
// Fact commands never change the host, so check mode can run them.

export interface FactDef<A, T> {
  /** Unique name, also the cache key prefix. */
  name: string
  /** The POSIX sh command that reads the fact. Must not modify anything. */
  command(args: A): string
  /** Pure: turns the command's output into the fact. `rc` is the command's exit code. */
  parse(stdout: string, args: A, rc: number): T
  /** The same whoever reads it (OS facts): cached once per host rather than per become user. */
  anyUser?: boolean
}
