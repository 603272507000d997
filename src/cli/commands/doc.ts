// `pgha doc [MODULE]`: the modules and their parameters, generated from each module's zod schema;
// `pgha doc templates`: the Jinja2 filters, tests, methods, functions and lookups templates may use.
import type { Command } from 'commander'
import { modules, getModule } from '../../modules/index.js'
import { describeParams } from '../../modules/describe.js'
import { aliasesOf } from '../../modules/aliases.js'
import { PghaError } from '../../errors.js'
import { pghaCommand } from '../../command-hint.js'
import { didYouMean } from '../../playbook/suggest.js'
import { templateCatalog, templateHelperDocs } from '../../vars/index.js'

/** Names wrapped to lines of at most 100 characters, indented. */
function wrapped(names: string[]): string {
  const lines: string[] = []
  for (const n of names) {
    const last = lines.length - 1
    if (last >= 0 && lines[last].length + n.length + 2 <= 100) lines[last] += `, ${n}`
    else lines.push(`  ${n}`)
  }
  return lines.join('\n')
}

function printTemplates(): void {
  const c = templateCatalog()
  const out = [
    "Templates are Jinja2, evaluated as Ansible does (the README's \"Templates: Jinja2\" lists the differences).",
    '',
    `filters (x | name):\n${wrapped(c.filters)}`,
    `tests (x is name):\n${wrapped(c.tests)}`,
    `methods (x.name()):\n${wrapped(c.methods)}`,
    `functions:\n${wrapped(c.functions)}`,
    `lookups (lookup('name', ...), query('name', ...)):\n${wrapped(c.lookups)}`,
    '',
    'Handlebars helpers, in .hbs template files only:',
    ...templateHelperDocs.map((h) => `  ${h.name.padEnd(8)} ${h.usage}  ${h.description}`),
  ]
  process.stdout.write(out.join('\n') + '\n')
}

export function register(program: Command): void {
  program
    .command('doc')
    .description("list the modules, show one module's parameters, or (doc templates) what templates may use")
    .argument('[module]', "module name, or 'templates'")
    .action((name?: string) => {
      if (!name) {
        const width = Math.max(...[...modules.keys()].map((n) => n.length))
        for (const m of [...modules.values()].sort((a, b) => a.name.localeCompare(b.name))) {
          process.stdout.write(`${m.name.padEnd(width)}  ${m.description}\n`)
        }
        process.stdout.write(`\nJinja2 filters, tests and lookups for templates: ${pghaCommand('doc', 'templates')}\n`)
        return
      }
      if (name === 'templates') return printTemplates()
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
