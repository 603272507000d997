// postgresql_user's deprecated `priv`: 'CONNECT/orders:SELECT,INSERT/sales.items:ALL' grants privileges on
// the database it connects to (an item without ':') and on tables (`table:privs`, `schema.table:privs`,
// public by default), as Ansible's postgresql_user does. Each item is planned as a postgresql_privs request,
// so the same ACL reading decides what is granted (state present) or revoked (state absent).
import { z } from 'zod'
import type { PgSession } from '../../pg/index.js'
import type { Change } from '../types.js'
import { planPrivs, readCurrent, type PrivsRequest } from './pg-privs-plan.js'

export interface PrivItem {
  /** Undefined for database privileges. */
  table?: { schema: string; name: string }
  privs: string[]
}

/** The `priv` parameter: items separated by '/', each `privs` or `table:privs`. */
export const privParam = z
  .string()
  .transform((text, c): PrivItem[] =>
    text.split('/').filter((s) => s.trim() !== '').map((item) => {
      const at = item.lastIndexOf(':')
      const privs = item.slice(at + 1).split(',').map((s) => s.trim()).filter(Boolean)
      if (privs.length === 0) c.addIssue({ code: 'custom', message: `priv item '${item}' names no privilege` })
      if (at < 0) return { privs }
      const table = item.slice(0, at).trim()
      const dot = table.indexOf('.')
      return { table: dot < 0 ? { schema: 'public', name: table } : { schema: table.slice(0, dot), name: table.slice(dot + 1) }, privs }
    }),
  )
  .optional()
  .describe("Deprecated in Ansible, use postgresql_privs: privileges on the database ('CONNECT,TEMP') and tables ('orders:SELECT'), items separated by '/'.")

/** GRANT (present) or REVOKE (absent) statements for the items, read from the database's ACLs. */
export async function planUserPrivs(s: PgSession, role: string, items: PrivItem[], o: { database: string; login_user: string; state: 'present' | 'absent' }): Promise<Change<{ sql: string }>[]> {
  const changes: Change<{ sql: string }>[] = []
  for (const item of items) {
    const request: PrivsRequest = {
      type: item.table ? 'table' : 'database',
      privs: item.privs,
      objs: [item.table ? item.table.name : o.database],
      schema: item.table?.schema,
      state: o.state,
      grant_option: undefined,
      target_roles: undefined,
      database: o.database,
      login_user: o.login_user,
    }
    changes.push(...planPrivs(request, await readCurrent(s, request), [role]))
  }
  return changes
}
