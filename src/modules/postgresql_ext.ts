// postgresql_ext: an extension in a database, its schema and version, planned from pg_extension and
// pg_available_extension_versions read in a READ ONLY transaction. CREATE/ALTER/DROP EXTENSION take no
// bound parameters (PostgreSQL's grammar has none in utility statements): names are quoted as
// identifiers and the version as a literal, never written as given.
import { z } from 'zod'
import { PghaError } from '../errors.js'
import { quoteIdent, quoteLiteral, type PgRow } from '../pg/index.js'
import { defineModule, type Change } from './types.js'
import { bool } from './lib/params.js'
import { dbParam, pgConnParams, pgDbAliases, pgRead, pgReads, planRows, sslRules, withSession } from './lib/pg-params.js'

const params = z
  .object({
    name: z.string().min(1).describe('Name of the extension (alias: ext).'),
    db: dbParam,
    schema: z.string().min(1).optional().describe('Schema to create it in, or move it to.'),
    version: z.string().min(1).optional().describe("Version to create or update to; 'latest' updates to the default version of the installed package."),
    cascade: bool(false, 'CASCADE: also create the extensions it needs, or drop the objects that depend on it.'),
    state: z.enum(['present', 'absent']).default('present').describe('present or absent.'),
    ...pgConnParams,
  })
  .strict()
  .superRefine(sslRules)

type Params = z.output<typeof params>

const INSTALLED_SQL = 'SELECT n.nspname, e.extversion FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = $1'
const AVAILABLE_SQL = 'SELECT v.version, a.default_version FROM pg_available_extension_versions v JOIN pg_available_extensions a ON a.name = v.name WHERE v.name = $1'
type Statement = { sql: string }

/** What the database knows of the extension: installed (schema, version) and what its package offers. */
export interface ExtensionState {
  installed?: { schema: string; version: string }
  defaultVersion?: string
  versions: string[]
}

export default defineModule({
  name: 'postgresql_ext',
  aliases: { ...pgDbAliases, ext: 'name' },
  description: 'Create, update, move or drop a PostgreSQL extension in a database.',
  params,
  reads: (p) => pgReads(pgRead(p, p.db, INSTALLED_SQL, [p.name]), pgRead(p, p.db, AVAILABLE_SQL, [p.name])),
  async plan(ctx, p) {
    const installed = await planRows(ctx, p, p.db, INSTALLED_SQL, [p.name])
    const state = extensionState(installed[0], await planRows(ctx, p, p.db, AVAILABLE_SQL, [p.name]))
    const changes = planExtension(p, state)
    return { changes, result: { queries: changes.map((c) => c.data.sql) } }
  },
  async apply(ctx, p, plan) {
    const queries = plan.changes.map((c) => c.data.sql)
    await withSession(ctx, p, p.db, (s) => s.query(queries.join(';\n'), [], { transaction: true }))
    return { db: p.db, ext: p.name, queries }
  },
})

function extensionState(installed: PgRow | undefined, available: PgRow[]): ExtensionState {
  return {
    installed: installed ? { schema: installed.nspname!, version: installed.extversion! } : undefined,
    defaultVersion: available[0]?.default_version ?? undefined,
    versions: available.map((r) => r.version!),
  }
}

export function planExtension(p: Params, state: ExtensionState): Change<Statement>[] {
  const name = quoteIdent(p.name)
  const cascade = p.cascade ? ' CASCADE' : ''
  if (p.state === 'absent') return state.installed ? [{ description: `drop extension ${p.name}`, data: { sql: `DROP EXTENSION ${name}${cascade}` } }] : []
  if (state.versions.length === 0 && !state.installed) {
    throw new PghaError('task', `extension ${p.name} is not available in database ${p.db}: install the package that provides it (pg_available_extensions has no ${p.name})`)
  }
  const wanted = p.version === 'latest' ? state.defaultVersion : p.version
  if (wanted !== undefined && !state.versions.includes(wanted) && wanted !== state.installed?.version) {
    throw new PghaError('task', `extension ${p.name} has no version ${wanted} (available: ${state.versions.join(', ')})`)
  }
  if (!state.installed) {
    const opts = [p.schema && `SCHEMA ${quoteIdent(p.schema)}`, wanted && `VERSION ${quoteLiteral(wanted)}`].filter(Boolean).join(' ')
    const shown = [p.schema && `in schema ${p.schema}`, wanted && `version ${wanted}`].filter(Boolean).join(' ')
    return [{ description: `create extension ${p.name}${shown ? ` ${shown}` : ''}`, data: { sql: `CREATE EXTENSION ${name}${opts ? ` WITH ${opts}` : ''}${cascade}` } }]
  }
  const changes: Change<Statement>[] = []
  if (p.schema && p.schema !== state.installed.schema) {
    changes.push({ description: `move extension ${p.name} from schema ${state.installed.schema} to ${p.schema}`, data: { sql: `ALTER EXTENSION ${name} SET SCHEMA ${quoteIdent(p.schema)}` } })
  }
  if (wanted !== undefined && wanted !== state.installed.version) {
    changes.push({ description: `update extension ${p.name} from version ${state.installed.version} to ${wanted}`, data: { sql: `ALTER EXTENSION ${name} UPDATE TO ${quoteLiteral(wanted)}` } })
  }
  return changes
}
