// postgresql_set: a server parameter set with ALTER SYSTEM (written to postgresql.auto.conf), then the
// configuration reloaded. Planned from pg_settings and pg_file_settings in a READ ONLY transaction: the
// value postgresql.auto.conf holds decides (so a parameter waiting for a restart is not set again), else
// the running value, compared as values (256MB = 262144kB). `reset` (or value: default) removes the entry
// from postgresql.auto.conf, a change only when there is one. ALTER SYSTEM takes no bound parameters: the
// name is checked and quoted as an identifier, the value written as literals.
import { z } from 'zod'
import { PghaError } from '../errors.js'
import { quoteIdent, quoteLiteral, type PgRow } from '../pg/index.js'
import { defineModule, type Change } from './types.js'
import { bool } from './lib/params.js'
import { dbParam, pgConnParams, pgDbAliases, pgRead, pgReads, planRows, sslRules, withSession } from './lib/pg-params.js'
import { settingKey, settingLiterals } from './lib/pg-setting.js'

const GUC_NAME = /^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*)?$/

const params = z
  .object({
    name: z.string().regex(GUC_NAME, 'a parameter name is letters, digits and _ (with one dot for an extension\'s parameter)').describe('Name of the server parameter (work_mem, shared_preload_libraries...).'),
    value: z.union([z.string(), z.number(), z.boolean()]).transform((v) => (typeof v === 'boolean' ? (v ? 'on' : 'off') : String(v))).optional()
      .describe("Value to set (with units as PostgreSQL takes them: 256MB, 5min); 'default' removes the parameter from postgresql.auto.conf."),
    reset: bool(false, 'Remove the parameter from postgresql.auto.conf (back to postgresql.conf or the built-in default).'),
    db: dbParam,
    ...pgConnParams,
  })
  .strict()
  .superRefine(sslRules)
  .refine((p) => (p.value !== undefined) !== p.reset, { message: 'give exactly one of value and reset' })

type Params = z.output<typeof params>

const SETTING_SQL = 'SELECT name, setting, unit, vartype, context, current_setting(name) AS pretty FROM pg_settings WHERE name = lower($1)'
const AUTO_SQL = `SELECT setting FROM pg_file_settings WHERE name = lower($1) AND sourcefile LIKE '%/postgresql.auto.conf' ORDER BY seqno DESC LIMIT 1`
type Step = { sql: string }

/** What PostgreSQL says of the parameter: pg_settings' row and the value postgresql.auto.conf holds. */
export interface SettingState {
  row: PgRow
  /** The value in postgresql.auto.conf, or undefined when it sets none. */
  auto?: string
}

export default defineModule({
  name: 'postgresql_set',
  aliases: pgDbAliases,
  description: 'Set or reset a PostgreSQL server parameter with ALTER SYSTEM, and reload the configuration.',
  params,
  reads: (p) => pgReads(pgRead(p, p.db, SETTING_SQL, [p.name]), pgRead(p, p.db, AUTO_SQL, [p.name])),
  async plan(ctx, p) {
    const [row] = await planRows(ctx, p, p.db, SETTING_SQL, [p.name])
    const auto = row && (await planRows(ctx, p, p.db, AUTO_SQL, [p.name]))
    const state = row && { row, auto: auto?.[0]?.setting ?? undefined }
    if (!state) throw new PghaError('task', `PostgreSQL has no parameter ${p.name} (pg_settings has no such row)`)
    const changes = planSetting(p, state)
    // As Ansible: a postmaster parameter takes effect at the next restart, whether this run set it or not.
    const restart = state.row.context === 'postmaster'
    return {
      changes,
      result: { name: state.row.name, context: state.row.context, prev_val_pretty: state.row.pretty, value_pretty: p.value ?? state.row.pretty, restart_required: restart },
    }
  },
  async apply(ctx, p, plan) {
    const context = plan.result?.context
    // ALTER SYSTEM cannot run inside a transaction; a postmaster parameter waits for a restart anyway.
    await withSession(ctx, p, p.db, async (s) => {
      for (const c of plan.changes) await s.query(c.data.sql)
      if (context !== 'postmaster') await s.query('SELECT pg_reload_conf()')
    })
  },
})

export function planSetting(p: Params, state: SettingState): Change<Step>[] {
  const { row, auto } = state
  const name = row.name!
  if (row.context === 'internal') throw new PghaError('task', `${name} cannot be changed: it is a preset parameter (context internal)`)
  const ident = name.split('.').map(quoteIdent).join('.')
  if (p.reset || p.value!.toLowerCase() === 'default') {
    return auto === undefined ? [] : [{ description: `remove ${name} from postgresql.auto.conf (was ${auto})`, data: { sql: `ALTER SYSTEM RESET ${ident}` } }]
  }
  const value = p.value!
  const same = (have: string): boolean => settingKey(have, row.vartype, row.unit) === settingKey(value, row.vartype, row.unit)
  if (auto !== undefined ? same(auto) : same(row.pretty ?? '') || same(row.setting ?? '')) return []
  const literals = settingLiterals(name, value).map(quoteLiteral).join(', ')
  return [{ description: `set ${name} to ${value} (was ${auto ?? row.pretty})`, data: { sql: `ALTER SYSTEM SET ${ident} = ${literals}` } }]
}
