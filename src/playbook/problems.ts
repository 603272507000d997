// Collects every input problem of a load so they are reported at once.
import { ConfigError, ConfigErrors, formatLoc, type SourceLocation } from '../errors.js'

export class Problems {
  readonly errors: ConfigError[] = []
  /** What loads but deserves a note (a deprecated spelling, a keyword accepted and ignored), shown before the run. */
  readonly warnings: ConfigError[] = []
  /**
   * What pgha lacks (a module, a module's parameter), collected apart when reading a file that only a
   * dynamic include reaches: Ansible reads such a file only if the include runs, so it is an error only then.
   */
  readonly lacking: ConfigError[] = []

  /** `dynamic`: the file read is reached through include_tasks or include_role, not loaded with the play. */
  constructor(readonly dynamic = false) {}

  /** Something pgha lacks: an error, unless the file is only reached dynamically (see `lacking`). */
  lacks(message: string, loc?: SourceLocation): void {
    const list = this.dynamic ? this.lacking : this.errors
    list.push(new ConfigError(message, loc))
  }

  warn(message: string, loc?: SourceLocation): void {
    this.warnings.push(new ConfigError(message, loc))
  }

  add(message: string, loc?: SourceLocation): void {
    this.errors.push(new ConfigError(message, loc))
  }

  /** Records a thrown ConfigError or ConfigErrors; false for any other error. */
  absorb(err: unknown): boolean {
    if (err instanceof ConfigErrors) this.errors.push(...err.errors)
    else if (err instanceof ConfigError) this.errors.push(err)
    else return false
    return true
  }

  /** Runs `fn`; ConfigError(s) it throws are recorded instead of propagating. */
  attempt<T>(fn: () => T): T | undefined {
    try {
      return fn()
    } catch (err) {
      if (!this.absorb(err)) throw err
      return undefined
    }
  }

  /**
   * Takes in what `own` (the problems of a file only a dynamic include reaches) found: its errors and
   * warnings as they are, what pgha lacks as warnings, since only running the include makes it an error.
   * True when something was lacking (the include is then loaded again, and fails, if it runs).
   */
  takeDynamic(own: Problems): boolean {
    this.errors.push(...own.errors)
    this.warnings.push(...own.warnings, ...own.lacking.map((e) => new ConfigError(`${e.message}${ONLY_IF_INCLUDED}`, e.loc)))
    return own.lacking.length > 0
  }

  /** Throws every problem, file by file (in the order files were read), each file's in source order. */
  throwIfAny(): void {
    if (this.errors.length > 0) throw new ConfigErrors(inReadingOrder(this.errors))
  }
}

/** What a warning about a file only a dynamic include reaches adds to the error it becomes if the include runs. */
const ONLY_IF_INCLUDED = ' (read only if the include_tasks or include_role that reaches this file runs, as Ansible does: the include fails then)'

/**
 * Each problem once (a file imported or included twice reports its problems once); files in the order
 * they were first reported, each file's problems by position.
 */
export function inReadingOrder(errors: readonly ConfigError[]): ConfigError[] {
  const unique = [...new Map(errors.map((e) => [`${e.loc ? formatLoc(e.loc) : ''} ${e.message}`, e])).values()]
  const files = [...new Set(unique.map((e) => e.loc?.file ?? ''))]
  const rank = (e: ConfigError): number[] => [files.indexOf(e.loc?.file ?? ''), e.loc?.line ?? 0, e.loc?.col ?? 0]
  return unique.sort((a, b) => {
    const [x, y] = [rank(a), rank(b)]
    return x[0] - y[0] || x[1] - y[1] || x[2] - y[2]
  })
}
