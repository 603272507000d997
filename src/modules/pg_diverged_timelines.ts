// pg_diverged_timelines: takes the timelines the live primary never had (lib/diverged-timelines.ts) out of
// the way of a standby about to start, so it follows the primary and not a timeline archived by a node
// promoted in a split brain and thrown away since. In the pgBackRest repository (on its host, as root) they
// are moved, history file and WAL, into a quarantine directory beside it, with a README: nothing is
// deleted. In a data directory's pg_wal (as the server's user) their history files, copies a failed start
// restored from the archive, are removed; a data directory on a timeline of its own is left alone.
import { z } from 'zod'
import { PghaError } from '../errors.js'
import { archiveTimelinesFact, pgDataDirFact, pgTimelineHistoryFact, pgWalTimelinesFact, type FactRead, type TimelineFiles } from '../facts/index.js'
import { shq } from '../shell/index.js'
import { defineModule, type ModuleContext, type Plan } from './types.js'
import { stringList } from './lib/list-param.js'
import { absolutePathParam, hostAddressParam, singleLineParam } from './lib/value-kinds.js'
import { describeTimeline, divergedTimelines, type DivergedTimeline, type Lineage } from './lib/diverged-timelines.js'

// A list, or the comma-separated text a template renders from one (`{{ x.ancestors | join(',') }}`).
const timelines = stringList().transform((l) => l.map(Number)).pipe(z.array(z.number().int().min(1)))

const params = z
  .object({
    primary_host: hostAddressParam().optional().describe('The live primary, asked from this host with psql for its timeline and history (needs bindir and a connection as repmgr). Or give timeline and ancestors.'),
    primary_port: z.coerce.number().int().min(1).max(65535).default(5432).describe('Port of the primary.'),
    primary_user: singleLineParam().default('repmgr').describe('User on the primary (a superuser: its history file is read with pg_read_file).'),
    primary_db: singleLineParam().default('repmgr').describe('Database on the primary.'),
    bindir: absolutePathParam().default('/usr/local/pgsql/bin').describe('Directory holding psql and pg_controldata.'),
    timeline: z.coerce.number().int().min(1).optional().describe('The primary\'s timeline, as a previous run of this module on a data node returned it (a repository host has no psql).'),
    ancestors: timelines.default([]).describe('The timelines the primary descends from, with timeline.'),
    primary_name: singleLineParam().optional().describe('The primary\'s name in messages (default primary_host).'),
    data_directory: absolutePathParam().optional().describe('Remove the diverged timelines\' history files from this data directory\'s pg_wal.'),
    repo_path: absolutePathParam().optional().describe('Move the diverged timelines out of this pgBackRest repository\'s archive (with stanza and quarantine_dir).'),
    stanza: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/, 'a stanza name is letters, digits, ".", "_" and "-", not first').optional().describe('The stanza whose archive is looked at.'),
    quarantine_dir: absolutePathParam().optional().describe('Where the diverged timelines go: a new directory STANZA-ARCHIVEID-timeline-N-TIME in it, owned as the repository is.'),
  })
  .strict()
  .superRefine((p, c) => {
    if ((p.primary_host === undefined) === (p.timeline === undefined)) c.addIssue({ code: 'custom', path: ['primary_host'], message: 'give either primary_host (the lineage is asked from the primary) or timeline (and ancestors)' })
    if ((p.data_directory === undefined) === (p.repo_path === undefined)) c.addIssue({ code: 'custom', path: ['data_directory'], message: 'give either data_directory (its pg_wal) or repo_path (the repository\'s archive)' })
    if (p.repo_path !== undefined && (p.stanza === undefined || p.quarantine_dir === undefined)) c.addIssue({ code: 'custom', path: ['repo_path'], message: 'repo_path needs stanza and quarantine_dir' })
  })

type Params = z.output<typeof params>

/** What a plan may read, declared so that read-ahead fetches it with the facts of the tasks around it. */
const reads = (p: Params): FactRead[] => [
  ...(p.data_directory !== undefined ? [{ def: pgDataDirFact, args: { data_directory: p.data_directory, bindir: p.bindir } }] : []),
  ...(p.primary_host !== undefined ? [{ def: pgTimelineHistoryFact, args: historyArgs(p) }] : []),
  p.data_directory !== undefined ? { def: pgWalTimelinesFact, args: { data_directory: p.data_directory } } : { def: archiveTimelinesFact, args: { repo_path: p.repo_path!, stanza: p.stanza! } },
]

const historyArgs = (p: Params) => ({ host: p.primary_host!, port: p.primary_port, user: p.primary_user, db: p.primary_db, bindir: p.bindir })

/** What apply moves or removes: the directory read, and the diverged timelines in it. */
interface Diverged {
  dir: string
  timelines: DivergedTimeline[]
  why: string
}

export default defineModule({
  name: 'pg_diverged_timelines',
  description: 'Move timelines the live primary never had out of the pgBackRest archive (into a quarantine) and out of a standby\'s pg_wal.',
  params,
  reads,
  async plan(ctx, p): Promise<Plan<Diverged>> {
    const primary = p.primary_name ?? p.primary_host ?? 'the primary'
    const local = p.data_directory !== undefined ? await ctx.fact(pgDataDirFact, { data_directory: p.data_directory, bindir: p.bindir }) : undefined
    if (local && (local.dir !== 'present' || local.systemId === undefined)) return { changes: [], result: { msg: `${p.data_directory} holds no cluster: no pg_wal to look at` } }
    const lineage = await readLineage(ctx, p, primary)
    if (!lineage) return { changes: [], result: { msg: `cannot ask ${primary} for its timeline history in check mode; the run will` } }
    const lineageResult = { timeline: lineage.timeline, ancestors: lineage.ancestors }
    // A data directory on a timeline the primary never had is not a standby of it: its history is its own,
    // and so is that timeline in the repository. The lineage is not returned, so the repository's task
    // (tasks/diverged-timelines.yml) is skipped too.
    if (local?.timeline !== undefined && local.timeline !== lineage.timeline && !lineage.ancestors.includes(local.timeline)) {
      return { changes: [], result: { diverged: [], msg: `${p.data_directory} is on timeline ${local.timeline}, which ${primary} never had: its pg_wal and the repository are left as they are` } }
    }
    const files: TimelineFiles = p.data_directory !== undefined
      ? await ctx.fact(pgWalTimelinesFact, { data_directory: p.data_directory })
      : await ctx.fact(archiveTimelinesFact, { repo_path: p.repo_path!, stanza: p.stanza! })
    const found = divergedTimelines(files, lineage, primary)
    if (found.action === 'refuse') throw new PghaError('task', found.why)
    const result = { ...lineageResult, diverged: found.action === 'move' ? found.timelines.map((t) => t.timeline) : [], msg: found.why }
    if (found.action === 'none') return { changes: [], result }
    const data: Diverged = { dir: files.dir, timelines: found.timelines, why: found.why }
    const what = found.timelines.map(describeTimeline).join('; ')
    const description = p.data_directory !== undefined
      ? `remove from ${files.dir} the history files of ${what}, which ${primary} never had`
      : `move ${what} out of ${files.dir} into ${p.quarantine_dir}, since ${primary} never had ${found.timelines.length === 1 ? 'it' : 'them'}`
    return { changes: [{ description, data }], result }
  },
  async apply(ctx, p, plan) {
    const d = plan.changes[0].data
    if (p.data_directory !== undefined) {
      const names = d.timelines.flatMap((t) => (t.history ? [`${d.dir}/${t.history}`] : []))
      await run(ctx, `rm -f -- ${names.map((n) => shq(n)).join(' ')}`, `removing ${names.join(', ')}`)
      ctx.invalidate(pgWalTimelinesFact)
      return { removed: names, msg: `removed ${names.join(', ')} from ${d.dir}: ${d.why}` }
    }
    const moved: string[] = []
    for (const t of d.timelines) moved.push(await run(ctx, quarantineCommand(p, d, t), `moving timeline ${t.timeline} out of ${d.dir}`))
    ctx.invalidate(archiveTimelinesFact)
    return { quarantined: moved, msg: `${d.why}. Moved into ${moved.join(', ')} (nothing deleted; see the README there)` }
  },
})

/** The primary's lineage: given (a repository host), or asked from the primary; undefined when check mode cannot ask. */
async function readLineage(ctx: ModuleContext, p: Params, primary: string): Promise<Lineage | undefined> {
  if (p.timeline !== undefined) return { timeline: p.timeline, ancestors: p.ancestors }
  const h = await ctx.fact(pgTimelineHistoryFact, historyArgs(p))
  if (!h.reachable || h.timeline === undefined) {
    if (ctx.check) return undefined
    throw new PghaError('task', `cannot ask ${primary} for its timeline history: ${h.error ?? 'no answer'}`)
  }
  return { timeline: h.timeline, ancestors: h.history.map((x) => x.timeline) }
}

/**
 * Moves one timeline's history file and WAL directories into a new directory of the quarantine (owned as
 * the repository is, 0750) with a README; prints that directory.
 */
function quarantineCommand(p: Params, d: Diverged, t: DivergedTimeline): string {
  const archiveId = d.dir.replace(/\/$/, '').split('/').pop() ?? ''
  const readme = [
    `Timeline ${t.timeline}, moved out of the pgBackRest repository's archive ${d.dir} by pgha.`,
    `Why: ${d.why}.`,
    'A standby of the live primary that follows the newest timeline (recovery_target_timeline=latest) would find',
    "this timeline through restore_command and PostgreSQL would refuse to start (\"requested timeline is not a child of this server's history\").",
    `To put it back (only if that node's data is what you keep): move these files back into ${d.dir}/.`,
  ].join('\n')
  const items = [...(t.history ? [t.history] : []), ...t.walDirs]
  return [
    'set -e',
    `q=${shq(p.quarantine_dir!.replace(/\/$/, ''))}; a=${shq(d.dir)}`,
    `mkdir -p "$q" && chown --reference=${shq(p.repo_path!)} "$q" && chmod 0750 "$q"`,
    `dest="$q/${p.stanza}-${archiveId}-timeline-${t.timeline}-$(date -u +%Y%m%dT%H%M%SZ)"`,
    'mkdir "$dest" && chown --reference="$a" "$dest" && chmod 0750 "$dest"',
    ...items.map((n) => `mv -- "$a"/${shq(n)} "$dest"/`),
    `printf '%s\\n' ${shq(readme)} > "$dest/README" && chown --reference="$a" "$dest/README"`,
    'echo "$dest"',
  ].join('\n')
}

async function run(ctx: ModuleContext, command: string, what: string): Promise<string> {
  const r = await ctx.exec(command)
  if (r.rc !== 0) throw new PghaError('task', `${what} failed on ${ctx.host} (rc ${r.rc}): ${`${r.stdout}\n${r.stderr}`.trim().split('\n').slice(-5).join('\n')}`)
  return r.stdout.trim().split('\n').pop() ?? ''
}
