// repmgr_node: registers a node (primary, standby, witness) when repmgr.nodes lacks it, clones a standby
// only when the data directory may be replaced (see lib/repmgr-clone.ts), switches over to a standby and
// rejoins a former primary (lib/repmgr-operations.ts) unless that would discard writes only it holds
// (lib/rejoin-divergence.ts: refused, or a copy of its data directory kept first); every action that changes
// roles runs its dry run first. Commands run as the task's become user (postgres). The clone does not start
// the server: the playbook does, through systemd.
import { z } from 'zod'
import { PghaError } from '../errors.js'
import { pgDataDirFact, pgTimelineHistoryFact, pgUpstreamFact, pgWalSinceFact, repmgrNodesFact, type DataDirArgs, type DataDirInfo, type RepmgrArgs, type UpstreamArgs } from '../facts/index.js'
import { conninfo, dbnameArg, shq } from '../shell/index.js'
import { defineModule, type ModuleContext, type Plan, type TaskResult } from './types.js'
import { bool } from './lib/params.js'
import { decideClone } from './lib/repmgr-clone.js'
import { planRegister } from './lib/repmgr-register.js'
import { planFollow, planRejoin, planSwitchover } from './lib/repmgr-operations.js'
import { absolutePathParam, hostAddressParam, singleLineParam, unitNameParam } from './lib/value-kinds.js'
import { decideRejoin, forkPoint } from './lib/rejoin-divergence.js'
import { backupCommand, type RejoinBackup } from './lib/rejoin-backup.js'

const params = z
  .object({
    action: z
      .enum(['primary_register', 'standby_clone', 'standby_register', 'witness_register', 'standby_switchover', 'standby_follow', 'node_rejoin'])
      .describe('What to do on this node.'),
    config: absolutePathParam().describe('Path of repmgr.conf on the node.'),
    bindir: absolutePathParam().default('/usr/local/pgsql/bin').describe('Directory holding repmgr, psql, pg_ctl and pg_controldata.'),
    data_directory: absolutePathParam().optional().describe('standby_clone: the data directory to clone into. standby_switchover, standby_follow, node_rejoin: the data directory of this node.'),
    upstream_host: hostAddressParam().optional().describe('standby_clone, witness_register, node_rejoin: the primary, as this node reaches it. standby_follow: the primary as the standbys\' conninfo names it (a standby streaming from another host follows it). standby_register: read repmgr.nodes there instead of locally.'),
    upstream_port: z.coerce.number().int().min(1).max(65535).default(5432).describe('Port of the upstream.'),
    upstream_user: singleLineParam().default('repmgr').describe('repmgr user on the upstream.'),
    upstream_db: singleLineParam().default('repmgr').describe('repmgr database on the upstream.'),
    force: bool(false, 'standby_clone: overwrite a stopped data directory that holds another cluster, a newer timeline or a former primary (never a running server).'),
    service: unitNameParam().optional().describe('The unit running PostgreSQL, named in the message when a running server blocks the clone.'),
    siblings_follow: bool(true, 'standby_switchover: the other standbys (and the witness) follow the new primary (--siblings-follow).'),
    force_rewind: bool(true, 'node_rejoin: rewind the data directory with pg_rewind where it diverged from the primary (--force-rewind).'),
    discard_diverged: bool(false, 'node_rejoin: rejoin even when the node wrote data after its timeline left the primary\'s (pg_rewind discards it), after keeping a copy of its data directory in backup_dir. Without it such a rejoin is refused, with the amount.'),
    backup_dir: absolutePathParam().optional().describe('node_rejoin: where the copy of a diverged data directory goes (a new directory NODE-TIMESTAMP in it).'),
  })
  .strict()
  .superRefine((p, c) => {
    if (['standby_clone', 'standby_switchover', 'standby_follow', 'node_rejoin'].includes(p.action) && !p.data_directory) {
      c.addIssue({ code: 'custom', path: ['data_directory'], message: `${p.action} needs data_directory` })
    }
    if (['standby_clone', 'witness_register', 'standby_follow', 'node_rejoin'].includes(p.action) && !p.upstream_host) {
      c.addIssue({ code: 'custom', path: ['upstream_host'], message: `${p.action} needs upstream_host` })
    }
    if (p.discard_diverged && !p.backup_dir) c.addIssue({ code: 'custom', path: ['backup_dir'], message: 'discard_diverged needs backup_dir, where the copy goes' })
  })

type Params = z.output<typeof params>
/**
 * What apply needs: for a registration or a clone, whether to pass --force (-F to the clone); for a rejoin
 * that discards diverged writes, the copy to keep first. A switchover carries nothing.
 */
type Step = { force: boolean } | { backup: RejoinBackup } | undefined

export default defineModule({
  name: 'repmgr_node',
  description: 'Register a repmgr node, or clone a standby without ever overwriting data that may be needed.',
  params,
  // What a register, a clone or a switchover always reads; a rejoin's reads depend on what it finds.
  reads(p) {
    if (p.action === 'standby_switchover') return [{ def: pgDataDirFact, args: dataDirArgs(p) }]
    if (p.action === 'standby_clone') return [{ def: pgDataDirFact, args: dataDirArgs(p) }, { def: pgUpstreamFact, args: upstreamArgs(p) }]
    if (p.action === 'node_rejoin') return []
    return [{ def: repmgrNodesFact, args: registerArgs(p) }]
  },
  async plan(ctx, p) {
    if (p.action === 'standby_clone') return planClone(ctx, p)
    if (p.action === 'standby_switchover') return planSwitchover(await localDataDir(ctx, p), ctx.host, p.siblings_follow)
    if (p.action === 'standby_follow') return planFollow(await localDataDir(ctx, p), ctx.host, p.upstream_host!)
    if (p.action === 'node_rejoin') return planNodeRejoin(ctx, p)
    const role = p.action === 'primary_register' ? 'primary' : p.action === 'standby_register' ? 'standby' : 'witness'
    const args = registerArgs(p)
    const info = await ctx.fact(repmgrNodesFact, args)
    return planRegister(info, role, p.config, args.conninfo ?? `the conninfo in ${p.config}`)
  },
  async apply(ctx, p, plan) {
    if (p.action === 'standby_clone') {
      const force = forceOf(plan.changes[0].data)
      const base = `${repmgr(p)} -h ${shq(p.upstream_host!)} -p ${p.upstream_port} -U ${shq(p.upstream_user)} -d ${shq(dbnameArg(p.upstream_db))} -f ${shq(p.config)} standby clone${force ? ' -F' : ''}`
      await run(ctx, `${base} --dry-run`, 'the clone dry run')
      const out = await run(ctx, `${base} --fast-checkpoint`, 'the standby clone')
      ctx.invalidate(pgDataDirFact)
      return { msg: plan.result?.msg, stdout: out }
    }
    if (p.action === 'standby_switchover' || p.action === 'standby_follow' || p.action === 'node_rejoin') {
      const data = plan.changes[0].data
      return applyOperation(ctx, p, data && 'backup' in data ? data.backup : undefined, plan.result?.msg)
    }
    const force = forceOf(plan.changes[0].data)
    const verb = p.action.replace('_', ' ')
    const primary = p.action === 'witness_register' ? ` -h ${shq(p.upstream_host!)} -p ${p.upstream_port} -U ${shq(p.upstream_user)} -d ${shq(dbnameArg(p.upstream_db))}` : ''
    const out = await run(ctx, `${repmgr(p)} -f ${shq(p.config)} ${verb}${primary}${force ? ' --force' : ''}`, verb)
    ctx.invalidate(repmgrNodesFact)
    return { stdout: out }
  },
})

const dataDirArgs = (p: Params): DataDirArgs => ({ data_directory: p.data_directory!, bindir: p.bindir })

const upstreamArgs = (p: Params): UpstreamArgs => ({ host: p.upstream_host!, port: p.upstream_port, user: p.upstream_user, db: p.upstream_db, bindir: p.bindir })

const localDataDir = (ctx: ModuleContext, p: Params): Promise<DataDirInfo> => ctx.fact(pgDataDirFact, dataDirArgs(p))

/** Where a register reads repmgr.nodes: through the upstream when one is named, else repmgr.conf's conninfo. */
const registerArgs = (p: Params): RepmgrArgs => ({ config: p.config, bindir: p.bindir, conninfo: p.upstream_host ? upstreamConninfo(p) : undefined })

const forceOf = (step: Step): boolean => !!step && 'force' in step && step.force

/**
 * Switchover, follow or rejoin: the dry run first, so a refusal leaves the cluster as it was; a rejoin that
 * discards diverged writes keeps its copy between the dry run and the rewind.
 */
async function applyOperation(ctx: ModuleContext, p: Params, backup: RejoinBackup | undefined, why: unknown): Promise<Partial<TaskResult>> {
  const base =
    p.action === 'standby_switchover'
      ? `${repmgr(p)} -f ${shq(p.config)} standby switchover${p.siblings_follow ? ' --siblings-follow' : ''}`
      : p.action === 'standby_follow'
      ? `${repmgr(p)} -f ${shq(p.config)} standby follow`
      : `${repmgr(p)} -f ${shq(p.config)} node rejoin -d ${shq(upstreamConninfo(p))}${p.force_rewind ? ' --force-rewind' : ''}`
  const verb = p.action.replace('_', ' ')
  const dry = await run(ctx, `${base} --dry-run`, `the ${verb} dry run`)
  const copy = backup ? (await run(ctx, backupCommand(backup), `the copy of ${backup.dataDirectory}`)).split('\n').pop() : undefined
  const out = await run(ctx, `${base} --verbose`, verb)
  ctx.invalidate(pgDataDirFact)
  ctx.invalidate(repmgrNodesFact)
  ctx.invalidate(pgWalSinceFact)
  const msg = backup ? `rejoined ${ctx.host}, discarding what it wrote after the timelines diverged (${backup.amount}); its data directory as it was is in ${copy}` : why
  return { stdout: `${dry}\n${out}`, ...(typeof msg === 'string' ? { msg } : {}), ...(copy ? { backup: copy } : {}) }
}

/**
 * The rejoin's plan: nothing to do for a standby already streaming from the primary; otherwise a rejoin,
 * unless it would discard writes the node holds after its timeline left the primary's: then refused (also
 * in check mode, where the run would stop), or with discard_diverged a copy of the data directory first.
 */
async function planNodeRejoin(ctx: ModuleContext, p: Params): Promise<Plan<Step>> {
  const local = await localDataDir(ctx, p)
  const base = planRejoin(local, ctx.host, p.upstream_host!)
  if (base.changes.length === 0) return base
  const primary = await ctx.fact(pgTimelineHistoryFact, { host: p.upstream_host!, port: p.upstream_port, user: p.upstream_user, db: p.upstream_db, bindir: p.bindir })
  const fork = forkPoint(local, primary, p.upstream_host!)
  const wal = fork.kind === 'fork' ? await ctx.fact(pgWalSinceFact, { data_directory: p.data_directory!, bindir: p.bindir, timeline: fork.timeline, start: fork.lsn }) : undefined
  const safety = decideRejoin(local, fork, wal, { upstream: p.upstream_host!, discard: p.discard_diverged, ownRelations: primary.ownRelations })
  if (safety.action === 'refuse') throw new PghaError('task', `not rejoining ${ctx.host}: ${safety.why}`)
  const change = base.changes[0]
  if (safety.action === 'rejoin') return { changes: [{ description: change.description, data: undefined }], result: { msg: safety.why } }
  const backup: RejoinBackup = {
    host: ctx.host, dataDirectory: p.data_directory!, bindir: p.bindir, dir: p.backup_dir!, amount: safety.amount, why: safety.why,
    wal: fork.kind === 'fork' ? { timeline: fork.timeline, start: fork.lsn } : undefined,
  }
  return {
    changes: [{ description: `keep a copy of ${p.data_directory} in ${p.backup_dir}/${ctx.host}-<time>, then ${change.description}, discarding ${safety.amount}`, data: { backup } }],
    result: { msg: safety.why },
  }
}

async function planClone(ctx: ModuleContext, p: Params): Promise<Plan<Step>> {
  const [local, up] = await Promise.all([
    localDataDir(ctx, p),
    ctx.fact(pgUpstreamFact, upstreamArgs(p)),
  ])
  const d = decideClone(local, up, { dataDirectory: p.data_directory!, upstream: p.upstream_host!, force: p.force, service: p.service })
  // A refusal fails the task in check mode too: the run would stop there.
  if (d.action === 'refuse') throw new PghaError('task', `standby clone refused: ${d.why}`)
  if (d.action === 'ok') return { changes: [], result: { msg: d.why } }
  const how = d.overwrite ? ' (-F: replacing what is there)' : ''
  return { changes: [{ description: `clone ${p.data_directory} from ${p.upstream_host}${how}`, data: { force: d.overwrite } }], result: { msg: d.why } }
}

const repmgr = (p: Params): string => shq(`${p.bindir.replace(/\/$/, '')}/repmgr`)

function upstreamConninfo(p: Params): string {
  return conninfo({ host: p.upstream_host, port: p.upstream_port, user: p.upstream_user, dbname: p.upstream_db, connect_timeout: 2 })
}

async function run(ctx: ModuleContext, command: string, what: string): Promise<string> {
  const r = await ctx.exec(command)
  if (r.rc !== 0) {
    const tail = `${r.stdout}\n${r.stderr}`.trim().split('\n').slice(-15).join('\n')
    throw new PghaError('task', `${what} failed on ${ctx.host} (rc ${r.rc}):\n${tail}`)
  }
  return `${r.stdout}${r.stderr}`.trim()
}
