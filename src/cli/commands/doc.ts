// `pgha doc [MODULE]`: the modules and their parameters, generated from each module's zod schema.
import type { Command } from 'commander'
import { modules, getModule } from '../../modules/index.js'
import { describeParams } from '../../modules/describe.js'
import { aliasesOf } from '../../modules/aliases.js'
import { PghaError } from '../../errors.js'
import { pghaCommand } from '../../command-hint.js'
import { didYouMean } from '../../playbook/suggest.js'

export function register(program: Command): void {
  program
    .command('doc')
    .description('list the modules, or show one module\'s parameters')
    .argument('[module]', 'module name')
    .action((name?: string) => {
      if (!name) {
        const width = Math.max(...[...modules.keys()].map((n) => n.length))
        for (const m of [...modules.values()].sort((a, b) => a.name.localeCompare(b.name))) {
          process.stdout.write(`${m.name.padEnd(width)}  ${m.description}\n`)
        }
        return
      }
      const mod = getModule(name)
      if (!mod) throw new PghaError('config', `unknown module '${name}'${didYouMean(name, modules.keys()) || ` (${pghaCommand('doc')} lists them)`}`)
      process.stdout.write(`${mod.name}: ${mod.description}\n\n`)
      for (const p of describeParams(mod.params)) {
        const aliases = aliasesOf(mod, p.name)
        const flags = [p.required ? 'required' : 'optional', p.type, p.default !== undefined ? `default ${JSON.stringify(p.default)}` : '', aliases.length > 0 ? `aliases: ${aliases.join(', ')}` : ''].filter(Boolean).join(', ')
        process.stdout.write(`  ${p.name}  (${flags})\n      ${p.description || ''}\n`)
      }
    })
}
