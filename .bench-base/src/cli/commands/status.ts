// `pgha status -i INVENTORY`: the cluster's health from every node, as a table or one JSON document.
// Exit 0 healthy, 2 problems found, 4 some node unreachable over SSH, 1 bad input (nothing contacted).
import { Option, type Command } from 'commander'
import { clusterStatus, renderJson, renderText } from '../../status/index.js'
import { scrub } from '../../vars/index.js'
import { report } from '../index.js'
import { collect, positiveInt } from '../options.js'

interface StatusFlags {
  inventory: string
  extraVars: string[]
  limit?: string
  output: 'table' | 'json'
  acceptNewHostKeys?: boolean
  timeout: number
}

export function register(program: Command): void {
  program
    .command('status')
    .description('show the health of the cluster as every node reports it (split brain, detached standbys, lag, repmgrd)')
    .requiredOption('-i, --inventory <path>', 'inventory file or directory (INI or YAML, with group_vars/ and host_vars/)')
    .option('-e, --extra-vars <vars>', 'extra variables: k=v pairs, JSON, or @file.yml (repeatable; highest precedence)', collect, [])
    .option('-l, --limit <pattern>', 'only the cluster hosts this pattern selects')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['table', 'json']).default('table'))
    .option('--accept-new-host-keys', 'trust and record host keys not yet in known_hosts (a changed key is always refused)')
    .option('-T, --timeout <seconds>', 'SSH connect timeout', positiveInt, 10)
    .action(async (flags: StatusFlags) => {
      process.exitCode = await statusCommand(flags)
    })
}

export async function statusCommand(flags: StatusFlags): Promise<number> {
  try {
    const status = await clusterStatus({
      inventory: flags.inventory, extraVars: flags.extraVars, limit: flags.limit,
      acceptNewHostKeys: flags.acceptNewHostKeys, connectTimeoutMs: flags.timeout * 1000,
    })
    const text = flags.output === 'json' ? renderJson(status.report) : renderText(status.report)
    process.stdout.write(scrub(text, status.secrets))
    return status.exitCode
  } catch (err) {
    return report(err)
  }
}
