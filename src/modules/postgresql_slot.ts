// postgresql_slot: a physical or logical replication slot, planned from pg_replication_slots read in a
// READ ONLY transaction; created and dropped with PostgreSQL's functions, the name and options bound as
// parameters. A slot that exists with another type or output plugin fails the task: changing it means
// dropping it, which loses the WAL it holds back, so pgha does not do that on its own.
import { z } from 'zod'
import { PghaError } from '../errors.js'
import type { PgRow } from '../pg/index.js'
import { defineModule, type Change } from './types.js'
import { bool } from './lib/params.js'
import { dbParam, pgConnParams, pgDbAliases, readRows, sslRules, withSession } from './lib/pg-params.js'

const params = z
  .object({
    name: z.string().regex(/^[a-z0-9_]{1,63}$/, 'a replication slot name is lower-case letters, digits and _ (at most 63)').describe('Name of the slot (alias: slot_name).'),
    slot_type: z.enum(['physical', 'logical']).default('physical').describe('physical or logical.'),
    immediately_reserve: bool(false, 'Physical slots: reserve WAL from now on, not from the first connection of a client.'),
    output_plugin: z.string().min(1).default('test_decoding').describe('Logical slots: the output plugin (pgoutput, test_decoding, wal2json...).'),
    state: z.enum(['present', 'absent']).default('present').describe('present or absent.'),
    db: dbParam.describe('Database to connect to; a logical slot belongs to it.'),
    ...pgConnParams,
  })
  .strict()
  .superRefine(sslRules)

type Params = z.output<typeof params>
type Call = { sql: string; values: string[] }

export default defineModule({
  name: 'postgresql_slot',
  aliases: { ...pgDbAliases, slot_name: 'name' },
  description: 'Create or drop a PostgreSQL replication slot (physical or logical).',
  params,
  async plan(ctx, p) {
    const [slot] = await withSession(ctx, p, p.db, (s) => readRows(s, 'SELECT slot_type, plugin, database, active FROM pg_replication_slots WHERE slot_name = $1', [p.name]))
    return planSlot(p, slot)
  },
  async apply(ctx, p, plan) {
    // Slot functions act outside the transaction; each runs as its own statement.
    await withSession(ctx, p, p.db, async (s) => {
      for (const c of plan.changes) await s.query(c.data.sql, c.data.values)
    })
    return { name: p.name, queries: plan.changes.map((c) => c.data.sql) }
  },
})

export function planSlot(p: Params, slot: PgRow | undefined): Change<Call>[] {
  if (p.state === 'absent') {
    return slot ? [{ description: `drop replication slot ${p.name}`, data: { sql: 'SELECT pg_drop_replication_slot($1)', values: [p.name] } }] : []
  }
  if (slot) {
    const differs = slot.slot_type !== p.slot_type ? `is a ${slot.slot_type} slot` : p.slot_type === 'logical' && slot.plugin !== p.output_plugin ? `uses output plugin ${slot.plugin}` : p.slot_type === 'logical' && slot.database !== p.db ? `belongs to database ${slot.database}` : undefined
    if (differs) throw new PghaError('task', `replication slot ${p.name} ${differs}, not what the task asks; drop it first (state: absent) if it may go`)
    return []
  }
  if (p.slot_type === 'physical') {
    return [{ description: `create physical replication slot ${p.name}${p.immediately_reserve ? ' reserving WAL now' : ''}`, data: { sql: 'SELECT pg_create_physical_replication_slot($1, $2::boolean)', values: [p.name, String(p.immediately_reserve)] } }]
  }
  return [{ description: `create logical replication slot ${p.name} with output plugin ${p.output_plugin} in database ${p.db}`, data: { sql: 'SELECT pg_create_logical_replication_slot($1, $2)', values: [p.name, p.output_plugin] } }]
}
