// postgresql_info: what a server holds, read in READ ONLY transactions (so it runs in check mode too and
// never reports a change): version, recovery state, databases (with their extensions, languages and
// schemas), roles, settings, tablespaces, replication connections and slots, in Ansible's result shape.
// `filter` picks subsets by name, or leaves some out with a leading '!'.
import { z } from 'zod'
import { PghaError } from '../errors.js'
import type { PgRow, PgSession } from '../pg/index.js'
import { defineModule, type ModuleContext } from './types.js'
import { stringList } from './lib/list-param.js'
import { dbParam, pgConnParams, pgDbAliases, readRows, sslRules, withSession, type PgConn } from './lib/pg-params.js'

const SUBSETS = ['version', 'databases', 'in_recovery', 'settings', 'tablespaces', 'roles', 'replications', 'repl_slots'] as const
type Subset = (typeof SUBSETS)[number]

const params = z
  .object({
    filter: stringList().optional().describe(`Subsets to collect (${SUBSETS.join(', ')}), or to leave out with a leading '!'; default all.`),
    db: dbParam,
    ...pgConnParams,
  })
  .strict()
  .superRefine(sslRules)
  .superRefine((p, c) => {
    for (const f of p.filter ?? []) {
      if (!(SUBSETS as readonly string[]).includes(f.replace(/^!/, ''))) c.addIssue({ code: 'custom', message: `filter ${f} is not one of ${SUBSETS.join(', ')} (with or without a leading !)` })
    }
  })

export default defineModule({
  name: 'postgresql_info',
  aliases: pgDbAliases,
  description: 'Gather facts about a PostgreSQL server: version, databases, roles, settings, replication, slots.',
  params,
  async plan(ctx, p) {
    const wanted = subsets(p.filter)
    const result = await withSession(ctx, p, p.db, async (s) => {
      const out: Record<string, unknown> = {}
      for (const subset of wanted) if (subset !== 'databases') out[subset] = await READERS[subset](s)
      return out
    })
    if (wanted.includes('databases')) result.databases = await readDatabases(ctx, p)
    return { changes: [], result }
  },
})

/** The subsets a filter asks for: the named ones, or all but the '!' ones. */
export function subsets(filter: string[] | undefined): Subset[] {
  if (!filter || filter.length === 0) return [...SUBSETS]
  const excluded = filter.filter((f) => f.startsWith('!')).map((f) => f.slice(1))
  const included = filter.filter((f) => !f.startsWith('!'))
  if (excluded.length > 0 && included.length > 0) throw new PghaError('task', 'filter takes either names or !names, not both')
  return SUBSETS.filter((s) => (included.length > 0 ? included.includes(s) : !excluded.includes(s)))
}

const byKey = (rows: PgRow[], key: string, value: (r: PgRow) => unknown = (r) => without(r, key)): Record<string, unknown> => Object.fromEntries(rows.map((r) => [r[key]!, value(r)]))
const without = (r: PgRow, key: string): PgRow => Object.fromEntries(Object.entries(r).filter(([k]) => k !== key))
const bool = (v: string | null): boolean => v === 't'

const READERS: Record<Exclude<Subset, 'databases'>, (s: PgSession) => Promise<unknown>> = {
  async version(s) {
    const [r] = await readRows(s, `SELECT current_setting('server_version_num') AS num, current_setting('server_version') AS full, version() AS raw`)
    const num = Number(r.num)
    return { major: Math.floor(num / 10000), minor: num % 10000, full: r.full, raw: r.raw }
  },
  async in_recovery(s) {
    return bool((await readRows(s, 'SELECT pg_is_in_recovery() AS r'))[0].r)
  },
  async settings(s) {
    const rows = await readRows(s, 'SELECT name, setting, unit, context, vartype, boot_val, min_val, max_val, sourcefile, pending_restart, current_setting(name) AS pretty_val FROM pg_settings')
    return byKey(rows, 'name', (r) => ({ ...without(r, 'name'), pending_restart: bool(r.pending_restart) }))
  },
  async tablespaces(s) {
    const rows = await readRows(s, `SELECT spcname, pg_get_userbyid(spcowner) AS spcowner, pg_tablespace_location(oid) AS location, coalesce(spcacl::text, '') AS spcacl, coalesce(spcoptions::text, '') AS spcoptions FROM pg_tablespace`)
    return byKey(rows, 'spcname')
  },
  async roles(s) {
    const rows = await readRows(s, `SELECT r.rolname, r.rolsuper, r.rolcanlogin, r.rolvaliduntil,
  coalesce((SELECT json_agg(g.rolname ORDER BY g.rolname) FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid WHERE m.member = r.oid)::text, '[]') AS member_of
FROM pg_roles r WHERE r.rolname !~ '^pg_'`)
    return byKey(rows, 'rolname', (r) => ({ superuser: bool(r.rolsuper), canlogin: bool(r.rolcanlogin), valid_until: r.rolvaliduntil, member_of: JSON.parse(r.member_of!) as string[] }))
  },
  async replications(s) {
    const rows = await readRows(s, `SELECT pid, usename, application_name AS app_name, client_addr::text, client_hostname, backend_start::text, state FROM pg_stat_replication`)
    return byKey(rows, 'pid')
  },
  async repl_slots(s) {
    const rows = await readRows(s, 'SELECT slot_name, plugin, slot_type, database, active FROM pg_replication_slots')
    return byKey(rows, 'slot_name', (r) => ({ ...without(r, 'slot_name'), active: bool(r.active) }))
  },
}

/** Each database with its owner, size and encoding, and what it holds (one session per database that allows connections). */
async function readDatabases(ctx: ModuleContext, p: PgConn & { db: string }): Promise<Record<string, unknown>> {
  const rows = await withSession(ctx, p, p.db, (s) => readRows(s, `SELECT datname, pg_get_userbyid(datdba) AS owner, pg_encoding_to_char(encoding) AS encoding, datcollate AS collate, datctype AS ctype, coalesce(datacl::text, '') AS access_priv, pg_database_size(oid)::text AS size, datallowconn FROM pg_database WHERE NOT datistemplate`))
  const out: Record<string, unknown> = {}
  for (const r of rows) {
    const inside = r.datallowconn === 't' ? await withSession(ctx, p, r.datname!, readContents) : {}
    out[r.datname!] = { ...without(without(r, 'datname'), 'datallowconn'), ...inside }
  }
  return out
}

async function readContents(s: PgSession): Promise<Record<string, unknown>> {
  const extensions = await readRows(s, `SELECT e.extname, e.extversion, n.nspname, coalesce(c.description, '') AS description FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace LEFT JOIN pg_description c ON c.objoid = e.oid AND c.classoid = 'pg_extension'::regclass`)
  const languages = await readRows(s, `SELECT lanname, pg_get_userbyid(lanowner) AS lanowner, coalesce(lanacl::text, '') AS lanacl FROM pg_language`)
  const namespaces = await readRows(s, `SELECT nspname, pg_get_userbyid(nspowner) AS nspowner, coalesce(nspacl::text, '') AS nspacl FROM pg_namespace WHERE nspname !~ '^pg_' AND nspname <> 'information_schema'`)
  return { extensions: byKey(extensions, 'extname'), languages: byKey(languages, 'lanname'), namespaces: byKey(namespaces, 'nspname') }
}
