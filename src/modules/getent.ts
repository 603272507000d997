// getent: looks a key (or a whole database) up through the host's name service switch and sets
// ansible_facts.getent_<database>: each entry's first field maps to the rest of its fields (a list of
// such lists when the first field repeats), split at ':' for passwd, shadow, group and gshadow and at
// whitespace otherwise, as Ansible's getent does. Reads only; check mode is exact.
import { z } from 'zod'
import { PghaError } from '../errors.js'
import { getentFact, type GetentArgs } from '../facts/index.js'
import { defineModule } from './types.js'
import { bool } from './lib/params.js'
import { lookupKeyParam, nssNameParam } from './lib/value-kinds.js'

const params = z
  .object({
    database: nssNameParam().describe('The database to look in: passwd, group, hosts, services, ... (getent(1)).'),
    key: lookupKeyParam().optional().describe('The key to look up; without it the whole database is listed.'),
    service: nssNameParam().optional().describe('Look only in this nsswitch service (getent -s), e.g. files.'),
    split: z.string().min(1).optional().describe("Field separator; default ':' for passwd, shadow, group and gshadow, else whitespace."),
    fail_key: bool(true, 'Fail when the key is not found; when false, getent_<database>[key] is null instead.'),
  })
  .strict()

const COLON = new Set(['passwd', 'shadow', 'group', 'gshadow'])

/** Python's str.split(sep), or split() at runs of whitespace when sep is undefined. */
const pySplit = (line: string, sep?: string): string[] => (sep === undefined ? line.trim().split(/\s+/).filter((w) => w !== '') : line.split(sep))

/** Entries by their first field, as Ansible's getent builds getent_<database>. */
export function entries(stdout: string, split?: string): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  const seen = new Map<string, number>()
  for (const line of stdout.split(/\r?\n/).filter((l, i, all) => l !== '' || i < all.length - 1)) {
    const [first = '', ...rest] = pySplit(line, split)
    const n = seen.get(first) ?? 0
    if (n === 0) out[first] = rest
    else {
      if (n === 1) out[first] = [out[first]]
      ;(out[first] as unknown[]).push(rest)
    }
    seen.set(first, n + 1)
  }
  return out
}

const args = (p: z.output<typeof params>): GetentArgs => ({ database: p.database, key: p.key, service: p.service })

export default defineModule({
  name: 'getent',
  description: 'Look entries up through the name service switch (getent) into ansible_facts.getent_<database>',
  params,
  reads: (p) => [{ def: getentFact, args: args(p) }],
  async plan(ctx, p) {
    const r = await ctx.fact(getentFact, args(p))
    const tree = `getent_${p.database}`
    if (r.rc === 0) return { changes: [], result: { ansible_facts: { [tree]: entries(r.stdout, p.split ?? (COLON.has(p.database) ? ':' : undefined)) } } }
    if (r.rc === 2) {
      const msg = 'One or more supplied key could not be found in the database.'
      if (!p.fail_key) return { changes: [], result: { msg, ansible_facts: { [tree]: { [p.key ?? '']: null } } } }
      throw new PghaError('task', msg)
    }
    throw new PghaError('task', r.rc === 1 ? 'Missing arguments, or database unknown.' : r.rc === 3 ? 'Enumeration not supported on this database.' : 'Unexpected failure!')
  },
})
