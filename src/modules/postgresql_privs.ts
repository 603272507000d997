// postgresql_privs: privileges of roles on tables, sequences, functions, procedures, schemas, databases,
// the default privileges of future objects, and group membership. Planned from the ACLs PostgreSQL
// stores (lib/pg-acl.ts) and pg_auth_members, read in a READ ONLY transaction, so check mode changes
// nothing and a second run plans nothing; applied as GRANT/REVOKE statements in one transaction, object
// and role names quoted as identifiers from the catalog.
import { z } from 'zod'
import { PghaError } from '../errors.js'
import { quoteIdent, type PgSession } from '../pg/index.js'
import { defineModule, type Change } from './types.js'
import { optionalBool, stringList } from './lib/list-param.js'
import { bool } from './lib/params.js'
import { pgConnAliases, pgConnParams, readRows, withSession } from './lib/pg-params.js'
import { ALL_PRIVS, DEFAULT_KINDS, granteeSql, readDefaultAcls, readObjectAcls, type AclObject } from './lib/pg-acl.js'

const TYPES = ['table', 'sequence', 'function', 'procedure', 'schema', 'database', 'default_privs', 'group'] as const

const params = z
  .object({
    database: z.string().min(1).describe('Database to connect to (aliases: db, login_db).'),
    roles: stringList().refine((l) => l.length > 0, 'at least one role').describe('Roles to grant to or revoke from, comma separated; PUBLIC for everyone (alias: role).'),
    privs: stringList().optional().describe('Privileges, comma separated (SELECT,INSERT or ALL); not with type group (alias: priv).'),
    type: z.enum(TYPES).default('table').describe('The kind of object (language, tablespace, type, foreign_* are not supported by pgha).'),
    objs: stringList().optional().describe("Objects, comma separated; ALL_IN_SCHEMA for every table/sequence/function/procedure of the schema; for default_privs TABLES, SEQUENCES, FUNCTIONS, TYPES, SCHEMAS or ALL_DEFAULT; functions as name(type:type); for type group the groups (alias: obj)."),
    schema: z.string().min(1).optional().describe("Schema of the objects (default public); for default_privs 'not-specified' means the global defaults."),
    state: z.enum(['present', 'absent']).default('present').describe('present grants, absent revokes.'),
    grant_option: optionalBool('With present: true grants WITH GRANT OPTION (ADMIN OPTION for groups), false takes it away; unset leaves it (alias: admin_option).'),
    target_roles: stringList().optional().describe('default_privs: the roles whose future objects get the privileges (default: login_user).'),
    fail_on_role: bool(true, 'Fail when a role does not exist; false skips it and says so in msg.'),
    ...pgConnParams,
  })
  .strict()
  .superRefine((p, c) => {
    const issue = (message: string) => c.addIssue({ code: 'custom', message })
    if (p.type === 'group' ? p.privs !== undefined : p.privs === undefined) issue(p.type === 'group' ? 'privs is not allowed with type group' : `privs is required with type ${p.type}`)
    if (p.type !== 'database' && p.objs === undefined) issue(`objs is required with type ${p.type}`)
    if (p.schema !== undefined && !['table', 'sequence', 'function', 'procedure', 'default_privs'].includes(p.type)) issue(`schema is not allowed with type ${p.type}`)
    if (p.objs?.includes('ALL_IN_SCHEMA') && !['table', 'sequence', 'function', 'procedure'].includes(p.type)) issue('ALL_IN_SCHEMA is for type table, sequence, function or procedure')
    if (p.target_roles !== undefined && p.type !== 'default_privs') issue('target_roles is only for type default_privs')
  })

type Params = z.output<typeof params>
type Statement = { sql: string }

/** What reading and planning privileges need: the module's parameters, or postgresql_user's `priv` as such a request. */
export type PrivsRequest = Pick<Params, 'type' | 'privs' | 'objs' | 'schema' | 'state' | 'grant_option' | 'target_roles' | 'database' | 'login_user'>

/** One object's ACL, or for type group the members of one group (privilege MEMBER). */
type Current = AclObject

export default defineModule({
  name: 'postgresql_privs',
  aliases: { ...pgConnAliases, db: 'database', login_db: 'database', role: 'roles', priv: 'privs', obj: 'objs', admin_option: 'grant_option' },
  description: 'Grant or revoke privileges on PostgreSQL objects, default privileges, and group membership.',
  params,
  async plan(ctx, p) {
    const { objects, missingRoles } = await withSession(ctx, p, p.database, async (s) => ({
      objects: await readCurrent(s, p),
      missingRoles: await rolesMissing(s, [...p.roles, ...(p.type === 'group' ? p.objs! : [])].filter((r) => r !== 'PUBLIC')),
    }))
    const skipped = missingRoles.filter((r) => p.roles.includes(r))
    if (missingRoles.length > 0 && (p.fail_on_role || missingRoles.some((r) => !p.roles.includes(r)))) {
      throw new PghaError('task', `role${missingRoles.length > 1 ? 's' : ''} ${missingRoles.join(', ')} do${missingRoles.length > 1 ? '' : 'es'} not exist`)
    }
    const changes = planPrivs(p, objects, p.roles.filter((r) => !skipped.includes(r)))
    const msg = skipped.length > 0 ? `skipped role${skipped.length > 1 ? 's' : ''} that do${skipped.length > 1 ? '' : 'es'} not exist: ${skipped.join(', ')}` : undefined
    return { changes, result: { queries: changes.map((c) => c.data.sql), ...(msg && { msg }) } }
  },
  async apply(ctx, p, plan) {
    const queries = plan.changes.map((c) => c.data.sql)
    await withSession(ctx, p, p.database, (s) => s.query(queries.join(';\n'), [], { transaction: true }))
    return { queries }
  },
})

async function rolesMissing(s: PgSession, roles: string[]): Promise<string[]> {
  if (roles.length === 0) return []
  const rows = await readRows(s, 'SELECT r AS name FROM json_array_elements_text($1::json) r WHERE r NOT IN (SELECT rolname FROM pg_roles)', [JSON.stringify(roles)])
  return rows.map((r) => r.name!)
}

/** The default schema, as Ansible: public for schema-bound types; 'not-specified' for none. */
function schemaOf(p: PrivsRequest): string | undefined {
  if (!['table', 'sequence', 'function', 'procedure', 'default_privs'].includes(p.type)) return undefined
  return p.schema === 'not-specified' ? undefined : (p.schema ?? 'public')
}

export async function readCurrent(s: PgSession, p: PrivsRequest): Promise<Current[]> {
  const schema = schemaOf(p)
  if (p.type === 'group') {
    const rows = await readRows(s, `SELECT g.rolname AS name, m.rolname AS member, am.admin_option FROM pg_roles g
LEFT JOIN pg_auth_members am ON am.roleid = g.oid LEFT JOIN pg_roles m ON m.oid = am.member
WHERE g.rolname IN (SELECT json_array_elements_text($1::json))`, [JSON.stringify(p.objs)])
    return p.objs!.map((name) => ({
      name,
      sql: quoteIdent(name),
      entries: rows.filter((r) => r.name === name && r.member).map((r) => ({ grantee: r.member!, privilege: 'MEMBER', grantable: r.admin_option === 't' })),
    }))
  }
  if (p.type === 'default_privs') {
    const kinds = p.objs!.flatMap((o) => (o === 'ALL_DEFAULT' ? Object.keys(DEFAULT_KINDS) : [o.toUpperCase()]))
    const bad = kinds.filter((k) => !DEFAULT_KINDS[k])
    if (bad.length > 0) throw new PghaError('task', `default_privs objs are ${Object.keys(DEFAULT_KINDS).join(', ')} or ALL_DEFAULT, not ${bad.join(', ')}`)
    const targets = p.target_roles ?? [p.login_user]
    const out: Current[] = []
    for (const t of targets) out.push(...(await readDefaultAcls(s, t, schema, [...new Set(kinds)])).map((o) => ({ ...o, name: `${t}\0${o.name}` })))
    return out
  }
  const objs = p.type === 'database' ? (p.objs ?? [p.database]) : p.objs!
  return readObjectAcls(s, p.type, schema, objs.includes('ALL_IN_SCHEMA') ? 'ALL_IN_SCHEMA' : objs)
}

/** The privileges asked, upper-case, ALL expanded, TEMP as TEMPORARY; one the type does not have throws. */
function wantedPrivs(p: PrivsRequest, kind: string): string[] {
  if (p.type === 'group') return ['MEMBER']
  const all = ALL_PRIVS[kind]
  const out = p.privs!.flatMap((v) => {
    const u = v.toUpperCase().replace(/^TEMP$/, 'TEMPORARY')
    return u === 'ALL' || u === 'ALL PRIVILEGES' ? all : [u]
  })
  const bad = out.filter((x) => !all.includes(x))
  if (bad.length > 0) throw new PghaError('task', `privilege${bad.length > 1 ? 's' : ''} ${bad.join(', ')} ${bad.length > 1 ? 'do' : 'does'} not apply to ${kind} (${all.join(', ')} or ALL)`)
  return [...new Set(out)]
}

export function planPrivs(p: PrivsRequest, objects: Current[], roles: string[]): Change<Statement>[] {
  const changes: Change<Statement>[] = []
  for (const o of objects) {
    const [target, kind] = p.type === 'default_privs' ? o.name.split('\0') : [undefined, p.type]
    const wanted = wantedPrivs(p, kind)
    for (const role of roles) {
      const held = new Map(o.entries.filter((e) => e.grantee === role).map((e) => [e.privilege, e.grantable]))
      const stmt = statementFor(p, o, kind, target, role)
      if (p.state === 'absent') {
        const revoke = wanted.filter((w) => held.has(w))
        if (revoke.length > 0) changes.push(stmt('revoke', revoke))
        continue
      }
      const grant = wanted.filter((w) => !held.has(w) || (p.grant_option === true && !held.get(w)))
      if (grant.length > 0) changes.push(stmt(p.grant_option ? 'grant with option' : 'grant', grant))
      const unoption = p.grant_option === false ? wanted.filter((w) => held.get(w)) : []
      if (unoption.length > 0) changes.push(stmt('revoke option', unoption))
    }
  }
  return changes
}

type Action = 'grant' | 'grant with option' | 'revoke' | 'revoke option'

/** The GRANT/REVOKE (or ALTER DEFAULT PRIVILEGES) statement for one object and one role. */
function statementFor(p: PrivsRequest, o: Current, kind: string, target: string | undefined, role: string) {
  return (action: Action, privs: string[]): Change<Statement> => {
    const who = granteeSql(role)
    const grant = action.startsWith('grant')
    if (p.type === 'group') {
      const option = action === 'grant with option' ? ' WITH ADMIN OPTION' : ''
      const sql = grant ? `GRANT ${o.sql} TO ${who}${option}` : `REVOKE ${action === 'revoke option' ? 'ADMIN OPTION FOR ' : ''}${o.sql} FROM ${who}`
      const text = grant ? `grant role ${o.name} to ${role}${option.toLowerCase()}` : action === 'revoke option' ? `revoke the admin option on role ${o.name} from ${role}` : `revoke role ${o.name} from ${role}`
      return { description: text, data: { sql } }
    }
    const list = privs.join(', ')
    const on = p.type === 'default_privs' ? kind : `${p.type.toUpperCase()} ${o.sql}`
    const body = grant
      ? `GRANT ${list} ON ${on} TO ${who}${action === 'grant with option' ? ' WITH GRANT OPTION' : ''}`
      : `REVOKE ${action === 'revoke option' ? 'GRANT OPTION FOR ' : ''}${list} ON ${on} FROM ${who}`
    const schema = schemaOf(p)
    const sql = p.type === 'default_privs' ? `ALTER DEFAULT PRIVILEGES FOR ROLE ${quoteIdent(target!)}${schema ? ` IN SCHEMA ${quoteIdent(schema)}` : ''} ${body}` : body
    const what = p.type === 'default_privs' ? `future ${kind.toLowerCase()} of ${target}${schema ? ` in schema ${schema}` : ''}` : `${p.type} ${o.sql}`
    const verb = { grant: 'grant', 'grant with option': 'grant (with grant option)', revoke: 'revoke', 'revoke option': 'revoke the grant option for' }[action]
    return { description: `${verb} ${list} on ${what} ${grant ? 'to' : 'from'} ${role}`, data: { sql } }
  }
}
