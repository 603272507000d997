// postgresql_query: runs one SQL statement. A read (SELECT, SHOW, ...) runs in plan, so also in check mode,
// and reports ok; anything else is a change that only running can tell (unpredictable in check mode):
// INSERT/UPDATE/DELETE report changed when they touched rows, other statements always (changed_when
// overrides). Rows come back as PostgreSQL's text output ('t'/'f', numbers as text) whichever route ran.
// What looks like a read runs in a READ ONLY transaction that is rolled back: one that writes after all
// (a function with side effects, a text the reading of statements got wrong) fails there with SQLSTATE
// 25006 and is then planned as a write, which check mode does not run.
import { z } from 'zod'
import { bindPlaceholders, PgQueryError, READ_ONLY_VIOLATION, type PgResult } from '../pg/index.js'
import { defineModule, type ModuleContext, type TaskResult } from './types.js'
import { bool } from './lib/params.js'
import { dbParam, pgConnParams, pgDbAliases, pgRead, pgReads, sslRules, withSession } from './lib/pg-params.js'
import { statementKind, statementVerb } from './lib/pg-statement.js'

const params = z
  .object({
    query: z.string().min(1).describe('The SQL statement. With positional_args, %s marks each value (%% is a literal %).'),
    positional_args: z
      .array(z.union([z.string(), z.number(), z.boolean(), z.null()]).transform((v) => (v === null ? null : String(v))))
      .default([])
      .describe('Values for the %s placeholders, in order; sent as bound parameters, never spliced as text.'),
    db: dbParam,
    autocommit: bool(false, 'Run without a transaction (needed by VACUUM, CREATE DATABASE...); by default the statement runs in one.'),
    ...pgConnParams,
  })
  .strict()
  .superRefine(sslRules)

type Params = z.output<typeof params>

export default defineModule({
  name: 'postgresql_query',
  aliases: pgDbAliases,
  description: 'Run a SQL statement; reads report ok and run in check mode, writes report changed.',
  params,
  // A read is read ahead with the reads of the tasks after it; a write changes the database whatever it finds.
  reads: (p) => (statementKind(p.query) === 'read' ? pgReads(queryRead(p)) : undefined),
  async plan(ctx, p) {
    const kind = statementKind(p.query)
    if (kind === 'read') {
      const read = queryRead(p)
      const answer = read && (await ctx.fact(read.def, read.args))
      if (answer?.ok) return { changes: [], result: resultOf(p, kind, answer.result) }
      try {
        return { changes: [], result: await run(ctx, p, kind) }
      } catch (err) {
        if (!(err instanceof PgQueryError && err.sqlstate === READ_ONLY_VIOLATION)) throw err
      }
    }
    return { changes: [{ description: `run ${statementVerb(p.query)} on database ${p.db}` }], unpredictable: true }
  },
  // A text planned as a read that wrote after all runs here as what it is: a write.
  apply: (ctx, p) => {
    const kind = statementKind(p.query)
    return run(ctx, p, kind === 'read' ? 'other' : kind)
  },
})

type Kind = ReturnType<typeof statementKind>

async function run(ctx: ModuleContext, p: Params, kind: Kind): Promise<Partial<TaskResult>> {
  const text = p.positional_args.length > 0 ? bindPlaceholders(p.query, p.positional_args) : p.query
  const options = kind === 'read' ? { readOnly: true } : { transaction: !p.autocommit }
  const r: PgResult = await withSession(ctx, p, p.db, (s) => s.query(text, p.positional_args, options))
  return resultOf(p, kind, r)
}

/** The statement as a fact read, with its %s placeholders bound as the session binds them (none when they cannot be). */
function queryRead(p: Params) {
  try {
    const text = p.positional_args.length > 0 ? bindPlaceholders(p.query, p.positional_args) : p.query
    return pgRead(p, p.db, text, p.positional_args)
  } catch {
    return undefined
  }
}

function resultOf(p: Params, kind: Kind, r: PgResult): Partial<TaskResult> {
  return {
    changed: kind === 'read' ? false : kind === 'dml' ? r.rowCount > 0 : true,
    // A statement that sets a password would show it: keep such text out of results and logs.
    query: /password/i.test(p.query) ? '(hidden: the statement mentions a password)' : p.query,
    rows: r.rows,
    query_result: r.rows,
    rowcount: r.rowCount,
  }
}
