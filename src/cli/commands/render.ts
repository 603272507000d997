// `pgha render -i INVENTORY [--out DIR]`: writes every config file each host would get to DIR/<host>/<path>
// without connecting anywhere, for a review before a run; prints one line per host.
import type { Command } from 'commander'
import { relative } from 'node:path'
import { terminalSafe } from '../../output/index.js'
import { defaultPlaybook } from '../../project-root.js'
import { LISTING, noteLine, renderPlaybook, writeTree, type RenderResult } from '../../render/index.js'
import { maskSecretAssignments, scrub } from '../../secrets/index.js'
import { EXIT, exitCodeOf } from '../exit-codes.js'
import { report } from '../index.js'
import { sharedOption } from '../options.js'
import { addVaultOptions, useVaultFlags, type VaultFlags } from '../secret-options.js'
import { onStopSignals } from '../signals.js'

interface RenderFlags extends Partial<VaultFlags> {
  inventory: string
  extraVars: string[]
  limit?: string
  out: string
  playbook?: string
  force?: boolean
}

export function register(program: Command): void {
  const render = program
    .command('render')
    .description('write every config file each host would get to DIR/<host>/<path>, without connecting to any host')
    .addOption(sharedOption.inventory())
    .addOption(sharedOption.extraVars())
    .option('-l, --limit <pattern>', 'only the hosts this pattern selects (a:b, a:!b, a:&b, globs)')
    .option('--out <dir>', 'where to write the files', 'render-out')
    .option('--playbook <file>', "the playbook to render (default: pgha's playbooks/site.yml)")
    .option('--force', 'write into a non-empty directory pgha render did not create (nothing in it is deleted)')
  addVaultOptions(render).action(async (flags: RenderFlags) => {
    process.exitCode = await renderCommand(flags)
  })
}

async function renderCommand(flags: RenderFlags): Promise<number> {
  // A signal waits until the files being written are in place (writing is synchronous), then ends the command.
  const signals = onStopSignals()
  try {
    useVaultFlags({ vaultPasswordFile: flags.vaultPasswordFile ?? [], askVaultPass: flags.askVaultPass, vaultId: flags.vaultId ?? [] })
    const result = await renderPlaybook({
      playbook: flags.playbook ?? defaultPlaybook(), inventory: flags.inventory, extraVars: flags.extraVars, limit: flags.limit,
    })
    for (const w of result.warnings) process.stderr.write(`WARNING: ${w.format()}\n`)
    if (signals.outcome) return exitCodeOf(signals.outcome)
    writeTree(result, flags.out, { force: flags.force })
    process.stdout.write(terminalSafe(summary(result, flags.out)))
    // An error quotes the task's values: the host's secrets are masked in it.
    const errors = result.hosts.flatMap((h) => h.notes.filter((n) => n.error).map((n) => scrub(maskSecretAssignments(`${h.host}: ${noteLine(n)}\n`), h.secrets ?? [])))
    process.stderr.write(terminalSafe(errors.join('')))
    if (signals.outcome) return exitCodeOf(signals.outcome)
    // A task that would fail on a host leaves its file out of the render: not a clean result.
    return errors.length > 0 ? EXIT.failed : EXIT.ok
  } catch (err) {
    return report(err)
  } finally {
    signals.dispose()
  }
}

function summary(result: RenderResult, out: string): string {
  const rows = [['HOST', 'FILES', 'NOTES', 'ERRORS'], ...result.hosts.map((h) => [
    h.host, String(h.files.length), String(h.notes.filter((n) => !n.error).length), String(h.notes.filter((n) => n.error).length),
  ])]
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)))
  const lines = rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  '))
  const dir = relative(process.cwd(), out) || '.'
  const tail = result.hosts.length === 0
    ? 'no host selected: nothing rendered'
    : `rendered into ${dir}/<host>/ (each host's ${LISTING} lists its files, the tasks that write them, and the notes); no host was contacted`
  return `${lines.join('\n')}\n\n${tail}\n`
}
