// Role attributes and settings as postgresql_user compares them: flags against pg_roles columns, and a
// role's search_path against what pg_db_role_setting stores (`search_path=repmgr, "$user", public`).
import { PghaError } from '../../errors.js'
import { quoteIdent, type PgRow } from '../../pg/index.js'

/** role_attr_flags keyword -> pg_roles column. */
export const ROLE_FLAGS: Record<string, string> = {
  SUPERUSER: 'rolsuper',
  CREATEROLE: 'rolcreaterole',
  CREATEDB: 'rolcreatedb',
  INHERIT: 'rolinherit',
  LOGIN: 'rolcanlogin',
  REPLICATION: 'rolreplication',
  BYPASSRLS: 'rolbypassrls',
}

/** 'SUPERUSER,NOLOGIN' -> { SUPERUSER: true, LOGIN: false }; unknown words throw. */
export function parseFlags(text: string): Record<string, boolean> {
  const out: Record<string, boolean> = {}
  for (const word of text.split(/[\s,]+/).filter(Boolean).map((w) => w.toUpperCase())) {
    const on = !(word.startsWith('NO') && ROLE_FLAGS[word.slice(2)])
    const flag = on ? word : word.slice(2)
    if (!ROLE_FLAGS[flag]) throw new PghaError('config', `unknown role attribute ${word} (one of ${Object.keys(ROLE_FLAGS).join(', ')} or their NO forms)`)
    out[flag] = on
  }
  return out
}

/** The flags whose pg_roles value differs from the wanted one. */
export function flagChanges(wanted: Record<string, boolean>, role: PgRow): Record<string, boolean> {
  return Object.fromEntries(Object.entries(wanted).filter(([flag, on]) => (role[ROLE_FLAGS[flag]] === 't') !== on))
}

/** `SUPERUSER NOLOGIN` for SQL and descriptions. */
export function flagWords(flags: Record<string, boolean>): string {
  return Object.entries(flags).map(([f, on]) => (on ? f : `NO${f}`)).join(' ')
}

/** Names as written in a search_path: quotes stripped (`"$user"` and `$user` are the same schema). */
export function normalizePath(list: string[]): string[] {
  return list.map((s) => (/^".*"$/.test(s) ? s.slice(1, -1).replace(/""/g, '"') : s))
}

/** The role-wide search_path from setconfig's JSON array, as names; undefined when not set. */
export function storedSearchPath(setconfigJson: string | null): string[] | undefined {
  const entries = setconfigJson ? (JSON.parse(setconfigJson) as string[]) : []
  const entry = entries.find((e) => e.startsWith('search_path='))
  if (entry === undefined) return undefined
  const names: string[] = []
  const re = /\s*(?:"((?:[^"]|"")*)"|([^,]*?))\s*(?:,|$)/gy
  const value = entry.slice('search_path='.length)
  let m: RegExpExecArray | null
  while (re.lastIndex < value.length && (m = re.exec(value))) names.push(m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2].toLowerCase())
  return names
}

/** `repmgr, "$user", public` */
export function searchPathSql(names: string[]): string {
  return names.map(quoteIdent).join(', ')
}
