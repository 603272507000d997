// The privileges PostgreSQL records on objects, read as postgresql_privs compares them: each object's ACL
// (or the default its owner gets when none is stored, acldefault) exploded into grantee, privilege and
// whether it may be granted on, for tables, sequences, functions, procedures, schemas, databases and the
// default privileges of a role. Every name goes in as a bound parameter (a JSON list where there are
// several); what comes back for SQL is built from catalog names quoted as identifiers.
import { PghaError } from '../../errors.js'
import { quoteIdent, type PgSession } from '../../pg/index.js'
import { readRows } from './pg-params.js'

export type AclType = 'table' | 'sequence' | 'function' | 'procedure' | 'schema' | 'database' | 'default_privs'

/** An object and what its ACL grants. `sql` is the object as GRANT names it: `public.t`, `f(integer)`. */
export interface AclObject {
  name: string
  sql: string
  entries: AclEntry[]
}

/** One grant: `grantee` is a role name or PUBLIC; `privilege` as aclexplode names it (SELECT, TEMPORARY...). */
export interface AclEntry {
  grantee: string
  privilege: string
  grantable: boolean
}

/** The privileges ALL stands for, per type of object (default_privs: per kind of future object). */
export const ALL_PRIVS: Record<string, readonly string[]> = {
  table: ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER'],
  sequence: ['USAGE', 'SELECT', 'UPDATE'],
  function: ['EXECUTE'],
  procedure: ['EXECUTE'],
  schema: ['USAGE', 'CREATE'],
  database: ['CREATE', 'CONNECT', 'TEMPORARY'],
  TABLES: ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER'],
  SEQUENCES: ['USAGE', 'SELECT', 'UPDATE'],
  FUNCTIONS: ['EXECUTE'],
  TYPES: ['USAGE'],
  SCHEMAS: ['USAGE', 'CREATE'],
}

/** pg_default_acl's defaclobjtype and acldefault's kind for each kind of future object. */
export const DEFAULT_KINDS: Record<string, { objtype: string; kind: string }> = {
  TABLES: { objtype: 'r', kind: 'r' },
  SEQUENCES: { objtype: 'S', kind: 's' },
  FUNCTIONS: { objtype: 'f', kind: 'f' },
  TYPES: { objtype: 'T', kind: 'T' },
  SCHEMAS: { objtype: 'n', kind: 'n' },
}

const EXPLODE = `CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(x.grantee) END AS grantee, x.privilege_type, x.is_grantable`

// Per type: the catalog query, its ACL and owner columns and acldefault's kind; $1 the schema, $2 a JSON
// list of names, $3 'true' for every object of the type in the schema (ALL_IN_SCHEMA).
const CATALOG: Record<Exclude<AclType, 'default_privs'>, string> = {
  table: `SELECT c.relname AS name, quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS sql, ${EXPLODE}
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN LATERAL aclexplode(coalesce(c.relacl, acldefault('r', c.relowner))) x ON true
WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND ($3::boolean OR c.relname IN (SELECT json_array_elements_text($2::json)))`,
  sequence: `SELECT c.relname AS name, quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS sql, ${EXPLODE}
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN LATERAL aclexplode(coalesce(c.relacl, acldefault('s', c.relowner))) x ON true
WHERE n.nspname = $1 AND c.relkind = 'S' AND ($3::boolean OR c.relname IN (SELECT json_array_elements_text($2::json)))`,
  function: procQuery('f'),
  procedure: procQuery('p'),
  schema: `SELECT n.nspname AS name, quote_ident(n.nspname) AS sql, ${EXPLODE}
FROM pg_namespace n LEFT JOIN LATERAL aclexplode(coalesce(n.nspacl, acldefault('n', n.nspowner))) x ON true
WHERE $1::text IS NULL AND NOT $3::boolean AND n.nspname IN (SELECT json_array_elements_text($2::json))`,
  database: `SELECT d.datname AS name, quote_ident(d.datname) AS sql, ${EXPLODE}
FROM pg_database d LEFT JOIN LATERAL aclexplode(coalesce(d.datacl, acldefault('d', d.datdba))) x ON true
WHERE $1::text IS NULL AND NOT $3::boolean AND d.datname IN (SELECT json_array_elements_text($2::json))`,
}

/**
 * Functions and procedures are named with their argument types, as Ansible writes them: `add(int:int)`
 * (':' between types, since ',' separates objects). Each is matched by its identity arguments as
 * PostgreSQL resolves the types, through to_regprocedure on the bound text.
 */
function procQuery(kind: 'f' | 'p'): string {
  return `SELECT p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' AS name,
  quote_ident(n.nspname) || '.' || quote_ident(p.proname) || '(' || pg_get_function_identity_arguments(p.oid) || ')' AS sql, ${EXPLODE}
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
LEFT JOIN LATERAL aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) x ON true
WHERE n.nspname = $1 AND p.prokind = '${kind}' AND ($3::boolean OR p.oid IN (SELECT to_regprocedure(quote_ident($1) || '.' || replace(f, ':', ',')) FROM json_array_elements_text($2::json) f))`
}

/** The ACL of each named object (every one of the type in `schema` with ALL_IN_SCHEMA); a missing one throws. */
export async function readObjectAcls(s: PgSession, type: Exclude<AclType, 'default_privs'>, schema: string | undefined, objs: string[] | 'ALL_IN_SCHEMA'): Promise<AclObject[]> {
  const all = objs === 'ALL_IN_SCHEMA'
  const rows = await readRows(s, CATALOG[type], [schema ?? null, JSON.stringify(all ? [] : objs), String(all)])
  const found = group(rows.map((r) => ({ name: r.name!, sql: r.sql!, entry: r.privilege_type ? { grantee: r.grantee!, privilege: r.privilege_type, grantable: r.is_grantable === 't' } : undefined })))
  if (!all) {
    const isProc = type === 'function' || type === 'procedure'
    const missing = isProc ? objs.length - found.length : objs.filter((o) => !found.some((f) => f.name === o)).length
    if (missing > 0) {
      const names = isProc ? objs.join(', ') : objs.filter((o) => !found.some((f) => f.name === o)).join(', ')
      throw new PghaError('task', `no ${type} ${names}${schema ? ` in schema ${schema}` : ''}`)
    }
  }
  return found
}

/**
 * The default privileges `target` gives objects it will create, per kind of object (TABLES, ...): in
 * `schema` (added to the global ones), or the global ones when schema is undefined, which start from
 * acldefault when none are stored.
 */
export async function readDefaultAcls(s: PgSession, target: string, schema: string | undefined, kinds: string[]): Promise<AclObject[]> {
  const out: AclObject[] = []
  for (const k of kinds) {
    const { objtype, kind } = DEFAULT_KINDS[k]
    const fallback = schema === undefined ? `acldefault('${kind}', r.oid)` : 'NULL::aclitem[]'
    const rows = await readRows(
      s,
      `SELECT ${EXPLODE} FROM pg_roles r
LEFT JOIN pg_default_acl d ON d.defaclrole = r.oid AND d.defaclobjtype = $3 AND d.defaclnamespace = CASE WHEN $2 = '' THEN 0 ELSE (SELECT oid FROM pg_namespace WHERE nspname = $2) END
LEFT JOIN LATERAL aclexplode(coalesce(d.defaclacl, ${fallback})) x ON true
WHERE r.rolname = $1`,
      [target, schema ?? '', objtype],
    )
    if (rows.length === 0) throw new PghaError('task', `no role ${target} (target_roles)`)
    out.push({ name: k, sql: k, entries: rows.filter((r) => r.privilege_type).map((r) => ({ grantee: r.grantee!, privilege: r.privilege_type!, grantable: r.is_grantable === 't' })) })
  }
  return out
}

function group(rows: { name: string; sql: string; entry?: AclEntry }[]): AclObject[] {
  const by = new Map<string, AclObject>()
  for (const r of rows) {
    const o = by.get(r.sql) ?? { name: r.name, sql: r.sql, entries: [] }
    if (r.entry) o.entries.push(r.entry)
    by.set(r.sql, o)
  }
  return [...by.values()]
}

/** A grantee as GRANT writes it: PUBLIC, or the role quoted as an identifier. */
export const granteeSql = (role: string): string => (role === 'PUBLIC' ? 'PUBLIC' : quoteIdent(role))
