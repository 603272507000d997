// repmgr_node: registers a node (primary, standby, witness) when repmgr.nodes lacks it, clones a standby
// only when the data directory may be replaced (see lib/repmgr-clone.ts), switches over to a standby and
// rejoins a former primary (lib/repmgr-operations.ts); every action that changes roles runs its dry run
// first. Commands run as the task's become user (postgres). The clone does not start the server: the
// playbook does, through systemd.
import { z } from 'zod'
import { PghaError } from '../errors.js'
import { pgDataDirFact, pgUpstreamFact, repmgrNodesFact, shq, type DataDirInfo } from '../facts/index.js'
import { defineModule, type ModuleContext, type Plan } from './types.js'
import { bool } from './lib/params.js'
import { decideClone } from './lib/repmgr-clone.js'
import { planRegister } from './lib/repmgr-register.js'
import { planRejoin, planSwitchover } from './lib/repmgr-operations.js'

const params = z
  .object({
    action: z
      .enum(['primary_register', 'standby_clone', 'standby_register', 'witness_register', 'standby_switchover', 'node_rejoin'])
      .describe('What to do on this node.'),
    config: z.string().min(1).describe('Path of repmgr.conf on the node.'),
    bindir: z.string().min(1).default('/usr/local/pgsql/bin').describe('Directory holding repmgr, psql, pg_ctl and pg_controldata.'),
    data_directory: z.string().optional().describe('standby_clone: the data directory to clone into. standby_switchover, node_rejoin: the data directory of this node.'),
    upstream_host: z.string().optional().describe('standby_clone, witness_register, node_rejoin: the primary, as this node reaches it. standby_register: read repmgr.nodes there instead of locally.'),
    upstream_port: z.coerce.number().int().min(1).max(65535).default(5432).describe('Port of the upstream.'),
    upstream_user: z.string().default('repmgr').describe('repmgr user on the upstream.'),
    upstream_db: z.string().default('repmgr').describe('repmgr database on the upstream.'),
    force: bool(false, 'standby_clone: overwrite a stopped data directory that holds another cluster, a newer timeline or a former primary (never a running server).'),
    service: z.string().optional().describe('The unit running PostgreSQL, named in the message when a running server blocks the clone.'),
    siblings_follow: bool(true, 'standby_switchover: the other standbys (and the witness) follow the new primary (--siblings-follow).'),
    force_rewind: bool(true, 'node_rejoin: rewind the data directory with pg_rewind where it diverged from the primary (--force-rewind).'),
  })
  .strict()
  .superRefine((p, c) => {
    if (['standby_clone', 'standby_switchover', 'node_rejoin'].includes(p.action) && !p.data_directory) {
      c.addIssue({ code: 'custom', path: ['data_directory'], message: `${p.action} needs data_directory` })
    }
    if (['standby_clone', 'witness_register', 'node_rejoin'].includes(p.action) && !p.upstream_host) {
      c.addIssue({ code: 'custom', path: ['upstream_host'], message: `${p.action} needs upstream_host` })
    }
  })

type Params = z.output<typeof params>

export default defineModule({
  name: 'repmgr_node',
  description: 'Register a repmgr node, or clone a standby without ever overwriting data that may be needed.',
  params,
  async plan(ctx, p) {
    if (p.action === 'standby_clone') return planClone(ctx, p)
    if (p.action === 'standby_switchover') return planSwitchover(await localDataDir(ctx, p), ctx.host, p.siblings_follow)
    if (p.action === 'node_rejoin') return planRejoin(await localDataDir(ctx, p), ctx.host, p.upstream_host!)
    const role = p.action === 'primary_register' ? 'primary' : p.action === 'standby_register' ? 'standby' : 'witness'
    const conninfo = p.upstream_host ? upstreamConninfo(p) : undefined
    const info = await ctx.fact(repmgrNodesFact, { config: p.config, bindir: p.bindir, conninfo })
    return planRegister(info, role, p.config, conninfo ?? `the conninfo in ${p.config}`)
  },
  async apply(ctx, p, plan) {
    if (p.action === 'standby_clone') {
      const { overwrite } = plan.changes[0].data as { overwrite: boolean }
      const base = `${repmgr(p)} -h ${shq(p.upstream_host!)} -p ${p.upstream_port} -U ${shq(p.upstream_user)} -d ${shq(p.upstream_db)} -f ${shq(p.config)} standby clone${overwrite ? ' -F' : ''}`
      await run(ctx, `${base} --dry-run`, 'the clone dry run')
      const out = await run(ctx, `${base} --fast-checkpoint`, 'the standby clone')
      ctx.invalidate(pgDataDirFact)
      return { msg: plan.result?.msg, stdout: out }
    }
    if (p.action === 'standby_switchover' || p.action === 'node_rejoin') return { stdout: await applyOperation(ctx, p) }
    const { force } = plan.changes[0].data as { force: boolean }
    const verb = p.action.replace('_', ' ')
    const primary = p.action === 'witness_register' ? ` -h ${shq(p.upstream_host!)} -p ${p.upstream_port} -U ${shq(p.upstream_user)} -d ${shq(p.upstream_db)}` : ''
    const out = await run(ctx, `${repmgr(p)} -f ${shq(p.config)} ${verb}${primary}${force ? ' --force' : ''}`, verb)
    ctx.invalidate(repmgrNodesFact)
    return { stdout: out }
  },
})

const localDataDir = (ctx: ModuleContext, p: Params): Promise<DataDirInfo> => ctx.fact(pgDataDirFact, { data_directory: p.data_directory!, bindir: p.bindir })

/** Switchover or rejoin: the dry run first, so a refusal leaves the cluster as it was. */
async function applyOperation(ctx: ModuleContext, p: Params): Promise<string> {
  const base =
    p.action === 'standby_switchover'
      ? `${repmgr(p)} -f ${shq(p.config)} standby switchover${p.siblings_follow ? ' --siblings-follow' : ''}`
      : `${repmgr(p)} -f ${shq(p.config)} node rejoin -d ${shq(upstreamConninfo(p))}${p.force_rewind ? ' --force-rewind' : ''}`
  const verb = p.action.replace('_', ' ')
  const dry = await run(ctx, `${base} --dry-run`, `the ${verb} dry run`)
  const out = await run(ctx, `${base} --verbose`, verb)
  ctx.invalidate(pgDataDirFact)
  ctx.invalidate(repmgrNodesFact)
  return `${dry}\n${out}`
}

async function planClone(ctx: ModuleContext, p: Params): Promise<Plan> {
  const [local, up] = await Promise.all([
    localDataDir(ctx, p),
    ctx.fact(pgUpstreamFact, { host: p.upstream_host!, port: p.upstream_port, user: p.upstream_user, db: p.upstream_db, bindir: p.bindir }),
  ])
  const d = decideClone(local, up, { dataDirectory: p.data_directory!, upstream: p.upstream_host!, force: p.force, service: p.service })
  // A refusal fails the task in check mode too: the run would stop there.
  if (d.action === 'refuse') throw new PghaError('task', `standby clone refused: ${d.why}`)
  if (d.action === 'ok') return { changes: [], result: { msg: d.why } }
  const how = d.overwrite ? ' (-F: replacing what is there)' : ''
  return { changes: [{ description: `clone ${p.data_directory} from ${p.upstream_host}${how}`, data: { overwrite: d.overwrite } }], result: { msg: d.why } }
}

const repmgr = (p: Params): string => shq(`${p.bindir.replace(/\/$/, '')}/repmgr`)

function upstreamConninfo(p: Params): string {
  return `host=${p.upstream_host} port=${p.upstream_port} user=${p.upstream_user} dbname=${p.upstream_db} connect_timeout=2`
}

async function run(ctx: ModuleContext, command: string, what: string): Promise<string> {
  const r = await ctx.exec(command)
  if (r.rc !== 0) {
    const tail = `${r.stdout}\n${r.stderr}`.trim().split('\n').slice(-15).join('\n')
    throw new PghaError('task', `${what} failed on ${ctx.host} (rc ${r.rc}):\n${tail}`)
  }
  return `${r.stdout}${r.stderr}`.trim()
}
