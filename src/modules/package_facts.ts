// package_facts: the installed packages as ansible_facts.packages (and `packages`): by name, a list of
// { name, version, arch, source } with rpm's release and epoch and apt's category, as Ansible's. apt's
// `origin` (which needs apt's cache) is not given. Read-only: never changed.
import { z } from 'zod'
import { PghaError } from '../errors.js'
import { hostFacts, packageListFact, type PackageInfo } from '../facts/index.js'
import { defineModule } from './types.js'
import { stringList } from './lib/list-param.js'

const MANAGERS = ['auto', 'apt', 'rpm'] as const

const params = z
  .object({
    manager: stringList()
      .default(['auto'])
      .refine((l) => l.every((m) => (MANAGERS as readonly string[]).includes(m)), { message: 'pgha reads the apt and rpm package managers (manager: auto, apt or rpm)' })
      .describe('Package managers to read: auto (the host\'s), apt, rpm.'),
    strategy: z.enum(['first', 'all']).default('first').describe('first: the first manager that answers; all: every one listed.'),
  })
  .strict()

export default defineModule({
  name: 'package_facts',
  description: 'Return the installed packages as ansible_facts.packages.',
  params,
  facts: ['packages'],
  async plan(ctx, p) {
    const wanted = p.manager.includes('auto') ? [(await ctx.fact(hostFacts, {})).pkg_mgr === 'apt' ? 'apt' as const : 'rpm' as const] : (p.manager as ('apt' | 'rpm')[])
    const packages: Record<string, PackageInfo[]> = {}
    let found = false
    for (const manager of wanted) {
      const listed = await ctx.fact(packageListFact, { manager })
      if (Object.keys(listed).length === 0) continue
      found = true
      for (const [name, list] of Object.entries(listed)) packages[name] = [...(packages[name] ?? []), ...list]
      if (p.strategy === 'first') break
    }
    if (!found) throw new PghaError('task', `Could not detect a supported package manager from the following list: ${wanted.join(', ')}, or the required Python library is not installed. Check warnings for details.`)
    return { changes: [], result: { ansible_facts: { packages } } }
  },
})
