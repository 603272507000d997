// postgresql_user: a role, its attributes, password and role-wide search_path, planned from one read of
// pg_roles + pg_db_role_setting (+ pg_authid when a password is given). The password never appears in a
// change, a result or a command line: it is checked against the stored verifier on the controller and
// sent as a SCRAM verifier, on stdin when psql carries it.
import { z } from 'zod'
import { PghaError } from '../errors.js'
import { isVerifier, passwordMatches, quoteIdent, quoteLiteral, scramVerifier, type PgRow } from '../pg/index.js'
import { defineModule, type Change } from './types.js'
import { bool } from './lib/params.js'
import { stringList } from './lib/list-param.js'
import { dbParam, pgConnParams, pgDbAliases, pgRead, pgReads, planRows, readRows, sslRules, withSession } from './lib/pg-params.js'
import { flagChanges, flagWords, normalizePath, parseFlags, searchPathSql, storedSearchPath } from './lib/pg-role.js'
import { planUserPrivs, privParam } from './lib/pg-user-priv.js'

const params = z
  .object({
    name: z.string().min(1).describe('Name of the role.'),
    password: z.string().optional().describe("Password, clear or already hashed ('SCRAM-SHA-256$...' or 'md5...'); '' removes it. Never shown."),
    no_password_changes: bool(false, 'Set the password only when the role is created.'),
    role_attr_flags: z
      .string()
      .default('')
      .describe('Attributes, comma separated: SUPERUSER, CREATEROLE, CREATEDB, INHERIT, LOGIN, REPLICATION, BYPASSRLS or their NO forms (NOSUPERUSER...).')
      .superRefine((v, c) => {
        try {
          parseFlags(v)
        } catch (err) {
          c.addIssue({ code: 'custom', message: (err as Error).message })
        }
      }),
    search_path: stringList().optional().describe('The role-wide search_path, as a list: [repmgr, "$user", public].'),
    conn_limit: z.coerce.number().int().min(-1).optional().describe('Connection limit (-1: none).'),
    expires: z.string().min(1).optional().describe("When the role's password expires (VALID UNTIL): a date and time PostgreSQL reads as timestamptz, or 'infinity'; set when it differs."),
    state: z.enum(['present', 'absent']).default('present').describe('present or absent.'),
    priv: privParam,
    encrypted: z
      .union([z.boolean(), z.enum(['yes', 'true', 'on', '1', 'no', 'false', 'off', '0'])])
      .refine((v) => v === true || ['yes', 'true', 'on', '1'].includes(String(v)), {
        message: 'encrypted: false cannot be honoured: PostgreSQL 10 and later store every password hashed',
      })
      .optional()
      .describe('Store the password hashed: always so (PostgreSQL 10 and later have no other way), so only true is accepted.'),
    db: dbParam,
    ...pgConnParams,
  })
  .strict()
  .superRefine(sslRules)

type Params = z.output<typeof params>
/** What apply runs for a change; the password's SQL is built in apply so no plan holds it. */
type Step = { sql: string } | { password: true }

export default defineModule({
  name: 'postgresql_user',
  aliases: { ...pgDbAliases, user: 'name' },
  description: 'Create, change or drop a PostgreSQL role: attributes, password, search_path, connection limit.',
  params,
  // The role's row; privileges are read in the module's own session.
  reads: (p) => (p.priv ? [] : pgReads(pgRead(p, p.db, roleQuery(p), roleParams(p)))),
  async plan(ctx, p) {
    if (!p.priv) return planRole(p, (await planRows(ctx, p, p.db, roleQuery(p), roleParams(p)))[0])
    return withSession(ctx, p, p.db, async (s) => {
      const role = (await readRows(s, roleQuery(p), roleParams(p)))[0]
      // priv: grants follow the role's creation; revokes come before its drop, and only while it exists.
      const privs = p.priv && (p.state === 'present' || role) ? await planUserPrivs(s, p.name, p.priv, { database: p.db, login_user: p.login_user, state: p.state }) : []
      const changes = planRole(p, role)
      return p.state === 'present' ? [...changes, ...privs] : [...privs, ...changes]
    })
  },
  async apply(ctx, p, plan) {
    const sql = plan.changes.map(({ data: step }) => {
      return 'sql' in step ? step.sql : `ALTER ROLE ${quoteIdent(p.name)} ${passwordClause(p.password!, p.name)}`
    })
    await withSession(ctx, p, p.db, (s) => s.query(sql.join(';\n'), [], { transaction: true }))
    return { user: p.name, state: p.state }
  },
})

/** The stored password is read only to be compared with a given one that may change it. */
const readsPassword = (p: Params): boolean => p.password !== undefined && !p.no_password_changes

/**
 * The role's row. With `expires`, whether its VALID UNTIL already is that time, compared by PostgreSQL as
 * community.postgresql compares it (the value read as timestamptz), the value a parameter, never SQL text.
 */
function roleQuery(p: Params): string {
  const password = readsPassword(p) ? ', (SELECT a.rolpassword FROM pg_authid a WHERE a.oid = r.oid) AS rolpassword' : ''
  const expires = p.expires === undefined ? '' : ', (r.rolvaliduntil IS NOT DISTINCT FROM $2::timestamptz) AS valid_until_same'
  return `SELECT r.rolsuper, r.rolcreaterole, r.rolcreatedb, r.rolinherit, r.rolcanlogin, r.rolreplication, r.rolbypassrls, r.rolconnlimit,
  (SELECT array_to_json(s.setconfig) FROM pg_db_role_setting s WHERE s.setrole = r.oid AND s.setdatabase = 0) AS setconfig${password}${expires}
FROM pg_roles r WHERE r.rolname = $1`
}

const roleParams = (p: Params): string[] => (p.expires === undefined ? [p.name] : [p.name, p.expires])

export function planRole(p: Params, role: PgRow | undefined): Change<Step>[] {
  const name = quoteIdent(p.name)
  if (p.state === 'absent') return role ? [{ description: `drop role ${p.name}`, data: { sql: `DROP ROLE ${name}` } }] : []
  const wanted = parseFlags(p.role_attr_flags)
  const changes: Change<Step>[] = []
  if (!role) {
    // CREATE USER's default, as Ansible's postgresql_user: a role that can log in unless NOLOGIN is asked.
    const flags = { LOGIN: true, ...wanted }
    const limit = p.conn_limit === undefined ? '' : ` CONNECTION LIMIT ${p.conn_limit}`
    const until = p.expires === undefined ? '' : ` VALID UNTIL ${quoteLiteral(p.expires)}`
    changes.push({ description: `create role ${p.name} (${flagWords(flags)})`, data: { sql: `CREATE ROLE ${name} WITH ${flagWords(flags)}${limit}${until}` } })
    if (p.password !== undefined && p.password !== '') changes.push({ description: `set the password of role ${p.name}`, data: { password: true } })
  } else {
    const differ = flagChanges(wanted, role)
    if (Object.keys(differ).length > 0) {
      changes.push({ description: `alter role ${p.name}: ${flagWords(differ)}`, data: { sql: `ALTER ROLE ${name} WITH ${flagWords(differ)}` } })
    }
    if (p.conn_limit !== undefined && Number(role.rolconnlimit) !== p.conn_limit) {
      changes.push({ description: `set the connection limit of role ${p.name} to ${p.conn_limit}`, data: { sql: `ALTER ROLE ${name} CONNECTION LIMIT ${p.conn_limit}` } })
    }
    if (p.expires !== undefined && role.valid_until_same !== 't') {
      changes.push({ description: `set the password expiry of role ${p.name} to ${p.expires}`, data: { sql: `ALTER ROLE ${name} VALID UNTIL ${quoteLiteral(p.expires)}` } })
    }
    if (p.password !== undefined && !p.no_password_changes && passwordDiffers(p.password, role.rolpassword ?? null, p.name)) {
      changes.push({ description: `${p.password === '' ? 'remove' : 'set'} the password of role ${p.name}`, data: { password: true } })
    }
  }
  if (p.search_path) {
    const want = normalizePath(p.search_path)
    const have = role ? storedSearchPath(role.setconfig ?? null) : undefined
    if (!have || have.join('\0') !== want.join('\0')) {
      const path = searchPathSql(want)
      changes.push({ description: `set search_path of role ${p.name} to ${path}`, data: { sql: `ALTER ROLE ${name} SET search_path TO ${path}` } })
    }
  }
  return changes
}

function passwordDiffers(password: string, stored: string | null, role: string): boolean {
  if (password === '') return stored !== null
  return !passwordMatches(password, stored, role)
}

function passwordClause(password: string, role: string): string {
  if (password === '') return 'PASSWORD NULL'
  if (password.includes('\0')) throw new PghaError('task', `the password of role ${role} contains a NUL byte`)
  return `PASSWORD ${quoteLiteral(isVerifier(password) ? password : scramVerifier(password))}`
}
