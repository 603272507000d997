// postgresql_privs: privileges of roles on tables, sequences, functions, procedures, schemas, databases,
// the default privileges of future objects, and group membership. Planned from the ACLs PostgreSQL
// stores (lib/pg-acl.ts) and pg_auth_members, read in a READ ONLY transaction, so check mode changes
// nothing and a second run plans nothing; applied as GRANT/REVOKE statements in one transaction, object
// and role names quoted as identifiers from the catalog.
import { z } from 'zod'
import { PghaError } from '../errors.js'
import type { PgSession } from '../pg/index.js'
import { defineModule } from './types.js'
import { optionalBool, stringList } from './lib/list-param.js'
import { bool } from './lib/params.js'
import { pgConnAliases, pgConnParams, readRows, sslRules, withSession } from './lib/pg-params.js'
import { planPrivs, readCurrent } from './lib/pg-privs-plan.js'

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
  .superRefine(sslRules)
  .superRefine((p, c) => {
    const issue = (message: string) => c.addIssue({ code: 'custom', message })
    if (p.type === 'group' ? p.privs !== undefined : p.privs === undefined) issue(p.type === 'group' ? 'privs is not allowed with type group' : `privs is required with type ${p.type}`)
    if (p.type !== 'database' && p.objs === undefined) issue(`objs is required with type ${p.type}`)
    if (p.schema !== undefined && !['table', 'sequence', 'function', 'procedure', 'default_privs'].includes(p.type)) issue(`schema is not allowed with type ${p.type}`)
    if (p.objs?.includes('ALL_IN_SCHEMA') && !['table', 'sequence', 'function', 'procedure'].includes(p.type)) issue('ALL_IN_SCHEMA is for type table, sequence, function or procedure')
    if (p.target_roles !== undefined && p.type !== 'default_privs') issue('target_roles is only for type default_privs')
  })


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

