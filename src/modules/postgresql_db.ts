// postgresql_db: a database with its owner, planned from pg_database. Encoding and locales are set when the
// database is created; an existing database with different ones fails the task (PostgreSQL cannot change
// them), as Ansible's module does.
import { z } from 'zod'
import { PghaError } from '../errors.js'
import { quoteIdent, quoteLiteral, type PgRow } from '../pg/index.js'
import { defineModule, type Change } from './types.js'
import { pgConnAliases, pgConnParams, pgRead, pgReads, planRows, sslRules, withSession } from './lib/pg-params.js'

const params = z
  .object({
    name: z.string().min(1).describe('Name of the database.'),
    owner: z.string().optional().describe('Role that owns the database; an existing database changes owner when it differs.'),
    template: z.string().optional().describe('Template to create it from (PostgreSQL default: template1).'),
    encoding: z.string().optional().describe('Encoding such as UTF8 (only when created).'),
    lc_collate: z.string().optional().describe('LC_COLLATE (only when created).'),
    lc_ctype: z.string().optional().describe('LC_CTYPE (only when created).'),
    conn_limit: z.preprocess((v) => (v === '' || v === null ? undefined : v), z.coerce.number().int().min(-1).optional())
      .describe('Connection limit (CONNECTION LIMIT; -1: none), set when created and when it differs.'),
    state: z.enum(['present', 'absent']).default('present').describe('present or absent.'),
    maintenance_db: z.string().min(1).default('postgres').describe('Database to connect to while creating or dropping.'),
    ...pgConnParams,
  })
  .strict()
  .superRefine(sslRules)

type Params = z.output<typeof params>

const DATABASE_SQL = `SELECT pg_get_userbyid(datdba) AS owner, pg_encoding_to_char(encoding) AS encoding, datcollate, datctype, datconnlimit FROM pg_database WHERE datname = $1`
/** What apply runs for a change: one statement, each in its own query. */
type Statement = { sql: string }

export default defineModule({
  name: 'postgresql_db',
  aliases: { ...pgConnAliases, db: 'name', login_db: 'maintenance_db' },
  description: 'Create or drop a PostgreSQL database, and keep its owner.',
  params,
  reads: (p) => pgReads(pgRead(p, p.maintenance_db, DATABASE_SQL, [p.name])),
  async plan(ctx, p) {
    return planDatabase(p, (await planRows(ctx, p, p.maintenance_db, DATABASE_SQL, [p.name]))[0])
  },
  async apply(ctx, p, plan) {
    // CREATE/DROP DATABASE cannot run inside a transaction: one statement per query.
    await withSession(ctx, p, p.maintenance_db, async (s) => {
      for (const c of plan.changes) await s.query(c.data.sql)
    })
    return { db: p.name, state: p.state }
  },
})

export function planDatabase(p: Params, db: PgRow | undefined): Change<Statement>[] {
  const name = quoteIdent(p.name)
  if (p.state === 'absent') return db ? [{ description: `drop database ${p.name}`, data: { sql: `DROP DATABASE ${name}` } }] : []
  if (!db) {
    const opts = [
      p.owner && `OWNER ${quoteIdent(p.owner)}`,
      p.template && `TEMPLATE ${quoteIdent(p.template)}`,
      p.encoding && `ENCODING ${quoteLiteral(p.encoding)}`,
      p.lc_collate && `LC_COLLATE ${quoteLiteral(p.lc_collate)}`,
      p.lc_ctype && `LC_CTYPE ${quoteLiteral(p.lc_ctype)}`,
      // an integer (the schema's), never text
      p.conn_limit !== undefined && `CONNECTION LIMIT ${p.conn_limit}`,
    ].filter(Boolean)
    const shown = p.owner ? ` owned by ${p.owner}` : ''
    return [{ description: `create database ${p.name}${shown}`, data: { sql: `CREATE DATABASE ${name}${opts.length ? ` ${opts.join(' ')}` : ''}` } }]
  }
  const mismatch = (
    [
      ['encoding', p.encoding, db.encoding],
      ['lc_collate', p.lc_collate, db.datcollate],
      ['lc_ctype', p.lc_ctype, db.datctype],
    ] as const
  ).find(([, want, have]) => want !== undefined && norm(want) !== norm(have ?? ''))
  if (mismatch) {
    throw new PghaError('task', `database ${p.name} exists with ${mismatch[0]} ${mismatch[2]}, not ${mismatch[1]}; PostgreSQL cannot change it (drop and recreate the database)`)
  }
  const changes: Change<Statement>[] = []
  if (p.owner && db.owner !== p.owner) {
    changes.push({ description: `change the owner of database ${p.name} from ${db.owner} to ${p.owner}`, data: { sql: `ALTER DATABASE ${name} OWNER TO ${quoteIdent(p.owner)}` } })
  }
  if (p.conn_limit !== undefined && String(p.conn_limit) !== String(db.datconnlimit)) {
    changes.push({ description: `set the connection limit of database ${p.name} from ${String(db.datconnlimit)} to ${p.conn_limit}`, data: { sql: `ALTER DATABASE ${name} CONNECTION LIMIT ${p.conn_limit}` } })
  }
  return changes
}

/** UTF8 = utf-8, C.UTF-8 = C.utf8. */
const norm = (v: string): string => v.toLowerCase().replace(/-/g, '')
