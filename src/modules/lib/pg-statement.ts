// What a SQL text does, read from the leading keyword of each statement (constants, quoted identifiers
// and comments cut out by the pg lexer, so a '--' or ';' inside a string cannot hide a statement): a read
// (runs in plan, so also in check mode), a DML statement (changed when it touched rows) or anything else
// (changed). A text is a read only when every statement in it is, read either way PostgreSQL may read its
// strings, and calls none of the functions that act outside the transaction. Being right does not rest on
// this reading alone: a read runs inside a READ ONLY transaction that is rolled back, so a statement that
// writes after all fails there and is then treated as a write (see postgresql_query.ts).
import { sqlStatements } from '../../pg/index.js'
import { memoByText } from '../../text-memo.js'

export type StatementKind = 'read' | 'dml' | 'other'

const READ = new Set(['SELECT', 'SHOW', 'VALUES', 'TABLE', 'EXPLAIN', 'WITH'])
const DML = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE'])

// Functions whose effect a READ ONLY transaction does not stop (signals, files, WAL, other sessions,
// replication slots): a text that calls one is not a read.
const OUTSIDE_TRANSACTION =
  /\b(pg_terminate_backend|pg_cancel_backend|pg_reload_conf|pg_rotate_logfile|pg_switch_wal|pg_switch_xlog|pg_promote|pg_create_restore_point|pg_wal_replay_pause|pg_wal_replay_resume|pg_log_backend_memory_contexts|pg_create_physical_replication_slot|pg_create_logical_replication_slot|pg_drop_replication_slot|pg_copy_physical_replication_slot|pg_copy_logical_replication_slot|pg_replication_slot_advance|pg_logical_slot_get_changes|pg_logical_slot_get_binary_changes|pg_logical_emit_message|pg_backup_start|pg_backup_stop|pg_start_backup|pg_stop_backup|pg_file_write|pg_file_rename|pg_file_unlink|pg_file_sync|lo_import|lo_export|dblink\w*|nextval|setval|set_config)\s*\(/i

/** The kind of the whole text: `read` only when every statement in it reads. Lexed once per text (read-ahead asks again). */
export const statementKind: (sql: string) => StatementKind = memoByText((sql) => {
  const both = [true, false].map((standardStrings) => textKind(sqlStatements(sql, { standardStrings })))
  return both[0] === both[1] ? both[0] : 'other'
})

function textKind(statements: string[]): StatementKind {
  const kinds = statements.map(oneKind)
  if (kinds.length === 0) return 'read'
  if (kinds.every((k) => k === 'read')) return 'read'
  return kinds.length === 1 ? kinds[0] : 'other'
}

/** The first keyword, for descriptions that must not show the query (it may hold a password). */
export function statementVerb(sql: string): string {
  return verbOf(sqlStatements(sql)[0] ?? '')
}

const verbOf = (code: string): string => /^[\s(]*([A-Za-z]+)/.exec(code)?.[1]?.toUpperCase() ?? 'SQL'

/** One statement's kind from its code (constants already cut out). */
function oneKind(code: string): StatementKind {
  const verb = verbOf(code)
  if (DML.has(verb)) return 'dml'
  if (!READ.has(verb)) return 'other'
  if (OUTSIDE_TRANSACTION.test(code)) return 'other'
  if (verb === 'WITH' && /\b(INSERT|UPDATE|DELETE|MERGE)\b/i.test(code)) return 'dml'
  if (verb === 'SELECT' && /\bINTO\b/i.test(code)) return 'other'
  if (verb === 'EXPLAIN' && /\bANALY[SZ]E\b/i.test(code)) return 'other'
  if (/\bFOR\s+(UPDATE|NO\s+KEY\s+UPDATE|SHARE|KEY\s+SHARE)\b/i.test(code)) return 'other'
  return 'read'
}
