// How postgresql_privs (and postgresql_user's priv) plan privileges: read what the catalogs hold for the
// objects of a request (lib/pg-acl.ts, pg_auth_members for groups), and the GRANT/REVOKE statements that
// make each role hold exactly what is asked, as a change each, described for --check.
import { PghaError } from '../../errors.js'
import { quoteIdent, type PgSession } from '../../pg/index.js'
import type { Change } from '../types.js'
import { readRows } from './pg-params.js'
import { ALL_PRIVS, DEFAULT_KINDS, granteeSql, readDefaultAcls, readObjectAcls, type AclObject, type AclType } from './pg-acl.js'

/** What postgresql_privs' type names: a kind of object with an ACL, or group membership. */
export type PrivsType = AclType | 'group'

/** What to grant or revoke: postgresql_privs' parameters, or one item of postgresql_user's priv. */
export interface PrivsRequest {
  type: PrivsType
  privs?: string[]
  objs?: string[]
  schema?: string
  state: 'present' | 'absent'
  grant_option?: boolean
  target_roles?: string[]
  database: string
  login_user: string
}

type Statement = { sql: string }

/** One object's ACL, or for type group the members of one group (privilege MEMBER). */
type Current = AclObject

/** The default schema, as Ansible: public for schema-bound types; 'not-specified' for none. */
export function schemaOf(p: PrivsRequest): string | undefined {
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
