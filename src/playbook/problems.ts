// Collects every input problem of a load so they are reported at once.
import { ConfigError, ConfigErrors, type SourceLocation } from '../errors.js'

export class Problems {
  readonly errors: ConfigError[] = []

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

  throwIfAny(): void {
    if (this.errors.length > 0) throw new ConfigErrors(this.errors)
  }
}
