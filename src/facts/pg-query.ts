// A catalog read of the postgresql_* modules as a fact, so that read-ahead can fetch the reads of a run of
// such tasks together: the reads of one connection in one psql session (one process, one connection),
// every connection of a batch in the same round trip. psql runs on the host as the task's become user, as
// the modules' psql route does, each read in a READ ONLY transaction that is rolled back. Only answers
// are vouched for: a read psql could not answer (refused connection, an error) is `ok: false`, and the
// module then reads through its own route, which reports why in its own words.
// What a read describes changes without this host doing anything (a standby attaching, repmgrd
// registering, another node's change), so the fact is `volatile`: a value serves one plan, and read-ahead
// values are dropped when anything is applied on any host.
import { randomToken } from '../transport/random-token.js'
import { parsePsqlReads, psqlCommand, psqlReadsScript, type PgResult, type PsqlOptions, type PsqlRead } from '../pg/index.js'
import type { FactDef, FactRunner } from './types.js'

/** How psql connects: a unix socket as the become user, never a password or TCP (those read on their own route). */
export type PgReadConn = Pick<PsqlOptions, 'user' | 'database' | 'port' | 'socketDir' | 'bindir' | 'role' | 'connectTimeoutMs'>

export interface PgQueryArgs extends PsqlRead {
  conn: PgReadConn
}

export type PgQueryValue = { ok: true; result: PgResult } | { ok: false }

/** The psql run of `reads` (all of one connection): the script as a here-document, so nothing is on a command line. */
function readsCommand(conn: PgReadConn, reads: readonly PsqlRead[], token: string): string {
  // The script's lines cannot end the here-document early: none is the random token alone.
  return `${psqlCommand(conn)} 2>/dev/null <<'${token}'\n${psqlReadsScript(reads, token, conn.role)}${token}\n`
}

function answers(stdout: string, token: string, count: number): PgQueryValue[] {
  return parsePsqlReads(stdout, token, count).map((result) => (result ? { ok: true, result } : { ok: false }))
}

/** Every read of a batch: one psql per connection, all in one command; each answer where its read asked. */
async function readMany(list: PgQueryArgs[], run: FactRunner): Promise<(PgQueryValue | undefined)[]> {
  const token = randomToken()
  const groups = new Map<string, number[]>()
  list.forEach((a, i) => {
    const key = JSON.stringify(a.conn)
    groups.set(key, [...(groups.get(key) ?? []), i])
  })
  const parts = [...groups.values()].map((at, g) => {
    const marker = `${token}g${g}`
    return `${readsCommand(list[at[0]].conn, at.map((i) => list[i]), marker)}echo ${marker}-done`
  })
  const out = (await run(parts.join('\n'))).stdout
  const values: (PgQueryValue | undefined)[] = list.map(() => undefined)
  ;[...groups.values()].forEach((at, g) => {
    const marker = `${token}g${g}`
    const from = out.indexOf(`${marker}-begin 0\n`)
    const to = out.indexOf(`${marker}-done`)
    if (from < 0 || to < from) return
    answers(out.slice(from, to), marker, at.length).forEach((v, k) => (values[at[k]] = v))
  })
  return values
}

export const pgQueryFact: FactDef<PgQueryArgs, PgQueryValue> = {
  name: 'pg_query',
  volatile: true,
  command(args) {
    // A fixed-length token of the command's own: parse finds it in the begin marker.
    return readsCommand(args.conn, [args], `pgq${randomToken()}`)
  },
  parse(stdout) {
    const m = /^(pgq\S+)-begin 0$/m.exec(stdout)
    return m ? answers(stdout.slice(m.index), m[1], 1)[0] : { ok: false }
  },
  batch: readMany,
}
