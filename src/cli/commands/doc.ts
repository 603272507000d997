// `pgha doc [MODULE]`: the modules and their parameters, generated from each module's zod schema (or, for a
// module pgha lacks, what the controller's Ansible has of that name, which pgha would run through it);
// `pgha doc templates`: the Jinja2 filters, tests, methods, functions and lookups templates may use.
import type { Command } from 'commander'
import { ansibleModules, modules, getModule } from '../../modules/index.js'
import type { AnsibleLookup } from '../../modules/index.js'
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

/** What the controller's Ansible says of a name pgha lacks (one python start, or the disk cache). */
function askAnsible(name: string): AnsibleLookup | undefined {
  const ansible = ansibleModules()
  ansible.find(name, [])
  ansible.settle()
  return ansible.find(name, [])
}

/** A module only the controller's Ansible has: which one, where, and how pgha runs it. */
function printAnsibleModule(name: string, found: AnsibleLookup): void {
  const file = found.def!.library!
  const fqcn = file.fqcn ?? name
  process.stdout.write([
    `${name}: not one of pgha's modules; the controller's Ansible has it: ${fqcn}, from the collection ${fqcn.split('.').slice(0, 2).join('.')} (${file.path}).`,
    ...(found.warnings ?? []).map((w) => `[DEPRECATION WARNING] ${w}`),
    "pgha runs it as ansible-playbook does, with that Ansible's code piped to the host's python; its parameters: ansible-doc " + fqcn,
  ].join('\n') + '\n')
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
        process.stdout.write(`\nAny other module runs through the controller's Ansible, when it is installed (the python of ansible-playbook on PATH): ${pghaCommand('doc', '<name>')} says whether it has one of that name.\n`)
        process.stdout.write(`\nJinja2 filters, tests and lookups for templates: ${pghaCommand('doc', 'templates')}\n`)
        return
      }
      if (name === 'templates') return printTemplates()
      const mod = getModule(name)
      if (!mod) {
        const asked = askAnsible(name)
        if (asked?.def?.library) return printAnsibleModule(name, asked)
        if (asked?.refused) throw new PghaError('config', asked.refused)
        const unanswered = asked?.unanswered ? asked.notFound : ''
        throw new PghaError('config', `unknown module '${name}'${didYouMean(name, modules.keys()) || ` (${pghaCommand('doc')} lists them)`}${unanswered}`)
      }
      process.stdout.write(`${mod.name}: ${mod.description}\n\n`)
      for (const p of describeParams(mod.params)) {
        const aliases = aliasesOf(mod, p.name)
        const flags = [p.required ? 'required' : 'optional', p.type, p.default !== undefined ? `default ${JSON.stringify(p.default)}` : '', aliases.length > 0 ? `aliases: ${aliases.join(', ')}` : ''].filter(Boolean).join(', ')
        process.stdout.write(`  ${p.name}  (${flags})\n      ${p.description || ''}\n`)
      }
    })
}
