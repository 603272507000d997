// postgresql_schema: a schema in a database, with its owner and comment, planned from pg_namespace read in
// a READ ONLY transaction. As community.postgresql: an empty owner leaves the owner alone, an empty
// comment removes the comment, absent drops the schema (CASCADE only when cascade_drop says so). Names are
// quoted as identifiers and the comment as a literal (utility statements take no bound parameters).
import { z } from 'zod'
import { quoteIdent, quoteLiteral, type PgRow } from '../pg/index.js'
import { defineModule, type Change } from './types.js'
import { bool } from './lib/params.js'
import { dbParam, pgConnParams, pgDbAliases, pgRead, pgReads, planRows, sslRules, withSession } from './lib/pg-params.js'

const params = z
  .object({
    schema: z.string().min(1).describe('Name of the schema (alias: name).'),
    db: dbParam.describe('Database the schema is in (aliases: login_db, database).'),
    owner: z.string().default('').describe('Role that owns the schema; empty: the connecting role when created, left alone after.'),
    comment: z.string().optional().describe('Comment on the schema; an empty string removes it.'),
    cascade_drop: bool(false, 'Drop with CASCADE: also the objects in the schema (without it, dropping a schema that holds any fails).'),
    state: z.enum(['present', 'absent']).default('present').describe('present or absent.'),
    ...pgConnParams,
  })
  .strict()
  .superRefine(sslRules)

type Params = z.output<typeof params>
type Statement = { sql: string }

const SCHEMA_SQL = `SELECT pg_get_userbyid(nspowner) AS owner, obj_description(oid, 'pg_namespace') AS comment FROM pg_namespace WHERE nspname = $1`

export default defineModule({
  name: 'postgresql_schema',
  aliases: { ...pgDbAliases, database: 'db', name: 'schema' },
  description: 'Create or drop a PostgreSQL schema, and keep its owner and comment.',
  params,
  reads: (p) => pgReads(pgRead(p, p.db, SCHEMA_SQL, [p.schema])),
  async plan(ctx, p) {
    const changes = planSchema(p, (await planRows(ctx, p, p.db, SCHEMA_SQL, [p.schema]))[0])
    return { changes, result: { schema: p.schema, queries: changes.map((c) => c.data.sql) } }
  },
  async apply(ctx, p, plan) {
    const queries = plan.changes.map((c) => c.data.sql)
    await withSession(ctx, p, p.db, (s) => s.query(queries.join(';\n'), [], { transaction: true }))
    return { schema: p.schema, queries }
  },
})

export function planSchema(p: Params, found: PgRow | undefined): Change<Statement>[] {
  const name = quoteIdent(p.schema)
  if (p.state === 'absent') {
    return found ? [{ description: `drop schema ${p.schema}${p.cascade_drop ? ' with everything in it' : ''}`, data: { sql: `DROP SCHEMA ${name}${p.cascade_drop ? ' CASCADE' : ''}` } }] : []
  }
  const changes: Change<Statement>[] = []
  if (!found) {
    changes.push({
      description: `create schema ${p.schema}${p.owner ? ` owned by ${p.owner}` : ''}`,
      data: { sql: `CREATE SCHEMA ${name}${p.owner ? ` AUTHORIZATION ${quoteIdent(p.owner)}` : ''}` },
    })
  } else if (p.owner && p.owner !== found.owner) {
    changes.push({ description: `change the owner of schema ${p.schema} from ${found.owner} to ${p.owner}`, data: { sql: `ALTER SCHEMA ${name} OWNER TO ${quoteIdent(p.owner)}` } })
  }
  // PostgreSQL stores an empty comment as none: '' asks for no comment, and no comment reads as ''.
  if (p.comment !== undefined && p.comment !== (found?.comment ?? '')) {
    const what = p.comment === '' ? `remove the comment on schema ${p.schema}` : `comment on schema ${p.schema}: ${p.comment}`
    changes.push({ description: what, data: { sql: `COMMENT ON SCHEMA ${name} IS ${p.comment === '' ? 'NULL' : quoteLiteral(p.comment)}` } })
  }
  return changes
}
