// Small commander option parsers shared by the commands.
import { InvalidArgumentError, Option } from 'commander'
import { didYouMean } from '../playbook/suggest.js'

export const collect = (value: string, previous: string[]): string[] => [...previous, value]

export const commaList = (value: string, previous: string[]): string[] => [
  ...previous,
  ...value.split(',').map((s) => s.trim()).filter(Boolean),
]

/** The longest timeout accepted, in seconds: Node's timers hold at most about 24.8 days. */
const MAX_SECONDS = 86_400

/** A positive whole number of seconds, at most a day. */
export function seconds(value: string): number {
  const n = positiveInt(value)
  if (n > MAX_SECONDS) throw new InvalidArgumentError(`expected at most ${MAX_SECONDS} seconds (a day), got '${value}'`)
  return n
}

export function positiveInt(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`expected a positive whole number, got '${value}'`)
  return n
}

/**
 * An option whose value is one of `values`: anything else is refused before the command runs (exit 2,
 * nothing loaded or contacted), with the closest value suggested. The help lists the choices.
 */
export function choiceOption<T extends string>(flags: string, description: string, values: readonly T[], defaultValue?: T): Option {
  return new Option(flags, description).choices(values).default(defaultValue).argParser((value: string): T => {
    if ((values as readonly string[]).includes(value)) return value as T
    throw new InvalidArgumentError(`'${value}' is not one of ${values.join(', ')}${didYouMean(value, values)}`)
  })
}
