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

/**
 * The options several commands take, each defined once here: `pgha status` connects as `pgha run` does and
 * `pgha inventory` resolves variables as it does, so the same flag means the same thing, with the same help,
 * everywhere. Each call makes a new Option (commander keeps a command's parsed state on it).
 */
export const sharedOption = {
  inventory: (): Option => new Option('-i, --inventory <path>', 'inventory file or directory (INI or YAML, with group_vars/ and host_vars/)').makeOptionMandatory(),
  extraVars: (): Option => new Option('-e, --extra-vars <vars>', 'extra variables: k=v pairs, JSON, or @file.yml (repeatable; highest precedence)').argParser(collect).default([]),
  user: (): Option => new Option('-u, --user <name>', 'log in as this user where no variable names one (ansible_user); default: your login name'),
  privateKey: (): Option => new Option('--private-key <file>', 'use this key where no variable names one (ansible_ssh_private_key_file); default: ssh-agent, then ~/.ssh/id_rsa, id_ecdsa, id_ed25519'),
  acceptNewHostKeys: (): Option => new Option('--accept-new-host-keys', 'trust and record host keys not yet in known_hosts (a changed key is always refused)'),
  timeout: (): Option => new Option('-T, --timeout <seconds>', 'SSH connect timeout').argParser(seconds).default(10),
}
