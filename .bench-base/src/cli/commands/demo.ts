// `pgha demo` (what `npm start` runs): the whole job on local lab hosts, for a user without two spare
// servers: bring the lab up, run site.yml against it, and show the cluster as repmgr sees it.
import type { Command } from 'commander'
import { defaultPlaybook } from '../../project-root.js'
import { runCommand } from './run.js'
import { statusCommand } from './status.js'

export function register(program: Command): void {
  program
    .command('demo')
    .description('bring the local lab up (two Debian nodes), run site.yml on it and print the cluster status')
    .option('--nodes <names>', 'lab nodes (the first is the primary)', 'node1,node2')
    .action(async (flags: { nodes: string }) => {
      const { labUp } = await import('../../lab/index.js')
      const lab = await labUp({ nodes: flags.nodes.split(','), log: (m) => process.stdout.write(`lab: ${m}\n`) })
      const code = await runCommand(defaultPlaybook(), {
        inventory: lab.inventory, extraVars: [], tags: [], skipTags: [], forks: 20, output: 'auto', verbose: 0, timeout: 10,
      })
      if (code !== 0) {
        process.exitCode = code
        return
      }
      process.stdout.write('\nThe cluster, as every node reports it (pgha status):\n\n')
      process.exitCode = await statusCommand({ inventory: lab.inventory, extraVars: [], output: 'table', timeout: 10 })
      process.stdout.write(`\nAgain at any time: pgha status -i ${lab.inventory}\nRe-run to converge: pgha run playbooks/site.yml -i ${lab.inventory}\n`)
    })
}
