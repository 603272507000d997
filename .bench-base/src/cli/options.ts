// Small commander option parsers shared by the commands.
import { InvalidArgumentError } from 'commander'

export const collect = (value: string, previous: string[]): string[] => [...previous, value]

export const commaList = (value: string, previous: string[]): string[] => [
  ...previous,
  ...value.split(',').map((s) => s.trim()).filter(Boolean),
]

export function positiveInt(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`expected a positive whole number, got '${value}'`)
  return n
}
