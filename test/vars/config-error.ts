// Runs `fn` and returns the ConfigError it throws (the first one of a ConfigErrors); fails the test otherwise.
import { expect } from 'vitest'
import { ConfigError, ConfigErrors } from '../../src/errors.js'

export function errorOf(fn: () => unknown): ConfigError {
  try {
    fn()
  } catch (err) {
    if (err instanceof ConfigErrors) return err.errors[0]
    expect(err).toBeInstanceOf(ConfigError)
    return err as ConfigError
  }
  throw new Error('expected a ConfigError')
}
