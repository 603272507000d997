// `pgha demo` (what `npm start` runs): the whole job on local lab hosts, for a user without two spare
// servers: bring the lab up, run site.yml against it, and show the cluster as repmgr sees it.
import type { Command } from 'commander'
import { pghaCommand } from '../../command-hint.js'
import { defaultPlaybook } from '../../project-root.js'
import { DEFAULT_NODES, FORCE_HELP, INSTANCE_HELP, given, useInstanceFlag } from './lab.js'
import { runCommand } from './run.js'
import { statusCommand } from './status.js'

export function register(program: Command): void {
  program
    .command('demo')
    .description('bring the local lab up (two Debian nodes), run site.yml on it and print the cluster status')
    .option('--nodes <names>', 'lab nodes (the first is the primary)', DEFAULT_NODES)
    .option('--instance <n>', INSTANCE_HELP)
    .option('--force', FORCE_HELP)
    .action(async (flags: { nodes: string; instance?: string; force?: boolean }) => {
      useInstanceFlag(flags.instance)
      const { labUp } = await import('../../lab/index.js')
      const lab = await labUp({
        nodes: flags.nodes.split(','), force: flags.force, command: ['demo', ...given('--nodes', flags.nodes, DEFAULT_NODES)], log: (m) => process.stdout.write(`lab: ${m}\n`),
      })
      const code = await runCommand(defaultPlaybook(), {
        inventory: lab.inventory, extraVars: [], tags: [], skipTags: [], forks: 20, output: 'auto', verbose: 0, timeout: 10,
      })
      if (code !== 0) {
        process.exitCode = code
        return
      }
      process.stdout.write('\nThe cluster, as every node reports it (pgha status):\n\n')
      process.exitCode = await statusCommand({ inventory: lab.inventory, extraVars: [], output: 'table', timeout: 10 })
      process.stdout.write(`\nAgain at any time: ${pghaCommand('status', '-i', lab.inventory)}\nRe-run to converge: ${pghaCommand('run', 'playbooks/site.yml', '-i', lab.inventory)}\n`)
    })
}
