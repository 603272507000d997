// Collects every input problem of a load so they are reported at once.
import { ConfigError, ConfigErrors, formatLoc, type SourceLocation } from '../errors.js'

export class Problems {
  readonly errors: ConfigError[] = []
  /** What loads but deserves a note (a deprecated spelling, a keyword accepted and ignored), shown before the run. */
  readonly warnings: ConfigError[] = []

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

  /** Throws every problem, file by file (in the order files were read), each file's in source order. */
  throwIfAny(): void {
    if (this.errors.length > 0) throw new ConfigErrors(inReadingOrder(this.errors))
  }
}

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
