// `pgha status -i INVENTORY`: the cluster's health from every node, as a table or one JSON document.
// Exit 0 healthy, 2 problems found, 4 some node unreachable over SSH, 1 bad input (nothing contacted).
import type { Command } from 'commander'
import { jsonTerminalSafe, terminalSafe } from '../../output/index.js'
import { clusterStatus, renderJson, renderText } from '../../status/index.js'
import { scrub } from '../../secrets/index.js'
import { exitCodeOf } from '../exit-codes.js'
import { report } from '../index.js'
import { choiceOption, sharedOption } from '../options.js'
import { addBecomePasswordOptions, addVaultOptions, becomePasswordOf, useVaultFlags, type BecomePasswordFlags, type VaultFlags } from '../secret-options.js'

interface StatusFlags extends BecomePasswordFlags, Partial<VaultFlags> {
  inventory: string
  extraVars: string[]
  limit?: string
  output: 'table' | 'json'
  acceptNewHostKeys?: boolean
  timeout: number
  user?: string
  privateKey?: string
}

export function register(program: Command): void {
  const status = program
    .command('status')
    .description('show the health of the cluster as every node reports it (split brain, detached standbys, lag, repmgrd)')
    .addOption(sharedOption.inventory())
    .addOption(sharedOption.extraVars())
    .option('-l, --limit <pattern>', 'only the cluster hosts this pattern selects')
    .addOption(choiceOption('-o, --output <format>', 'output format', ['table', 'json'] as const, 'table'))
    .addOption(sharedOption.acceptNewHostKeys())
    .addOption(sharedOption.timeout())
    .addOption(sharedOption.user())
    .addOption(sharedOption.privateKey())
  addVaultOptions(addBecomePasswordOptions(status)).action(async (flags: StatusFlags) => {
    process.exitCode = await statusCommand(flags)
  })
}

export async function statusCommand(flags: StatusFlags): Promise<number> {
  try {
    const becomePassword = await becomePasswordOf(flags)
    useVaultFlags({ vaultPasswordFile: flags.vaultPasswordFile ?? [], askVaultPass: flags.askVaultPass, vaultId: flags.vaultId ?? [] })
    const status = await clusterStatus({
      inventory: flags.inventory, extraVars: flags.extraVars, limit: flags.limit, becomePassword,
      acceptNewHostKeys: flags.acceptNewHostKeys, connectTimeoutMs: flags.timeout * 1000,
      remoteUser: flags.user, privateKeyFile: flags.privateKey,
    })
    // What the nodes said is data: no control character of it reaches the terminal.
    const text = flags.output === 'json' ? jsonTerminalSafe(renderJson(status.report)) : terminalSafe(renderText(status.report))
    process.stdout.write(scrub(text, status.secrets))
    return exitCodeOf(status.outcome)
  } catch (err) {
    return report(err)
  }
}
