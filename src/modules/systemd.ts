// systemd (and the service alias): a unit's running state, enablement and mask, planned from one
// `systemctl show`. daemon-reload runs only when systemd reports the unit's files changed (NeedDaemonReload)
// or the unit is not loaded yet, where Ansible always reloads; daemon_reexec always re-executes systemd. As
// in Ansible, neither is a change (a task that only reloads reports ok), and neither runs in check mode.
import { z } from 'zod'
import { PghaError } from '../errors.js'
import { systemdStaleFact, systemdUnitFact, type UnitState } from '../facts/index.js'
import { commandLine } from '../shell/index.js'
import { defineModule, type Change, type ModuleContext } from './types.js'
import { bool } from './lib/params.js'
import { optionalBool } from './lib/list-param.js'
import { unitNameParam } from './lib/value-kinds.js'

/**
 * The service managers service's `use` may name for pgha: Ansible's action plugin runs the module `use`
 * names (auto: the host's service_mgr), and on a systemd host both `systemd` and the generic `service`
 * module drive systemctl. sysvinit, openrc, upstart and the rest are modules pgha does not have.
 */
const SERVICE_USE = ['auto', 'systemd', 'service']

/** The parameters of both systemd and service (sleep and use are service's: systemd refuses them). */
export const unitParams = z
  .object({
    name: unitNameParam().optional().describe('Unit name; without a suffix, .service is assumed.'),
    state: z.enum(['started', 'stopped', 'restarted', 'reloaded']).optional().describe('started/stopped act only when needed; restarted/reloaded always act.'),
    enabled: optionalBool('Start the unit at boot (systemctl enable/disable).'),
    masked: optionalBool('Mask the unit so nothing can start it, or unmask it.'),
    daemon_reload: bool(false, 'Reload systemd first when the unit files changed on disk (alias: daemon-reload).'),
    'daemon-reload': optionalBool('Alias of daemon_reload.'),
    daemon_reexec: bool(false, 'Re-execute systemd (systemctl daemon-reexec) first; never counted as a change (alias: daemon-reexec).'),
    'daemon-reexec': optionalBool('Alias of daemon_reexec.'),
    sleep: z.coerce.number().int().min(0).max(3600).optional().describe('The service module only: with state restarted, stop, wait this many seconds, then start.'),
    use: z
      .string()
      .superRefine((u, ctx) => {
        if (!SERVICE_USE.includes(u)) ctx.addIssue({ code: 'custom', message: `'${u}' names a service manager pgha does not drive: its service drives systemd (use ${SERVICE_USE.join(', ')})` })
      })
      .optional()
      .describe(`The service module only: the service module to run (${SERVICE_USE.join(', ')}); each drives systemd, as Ansible's do on a systemd host.`),
  })
  .strict()
  .transform(({ 'daemon-reload': alias, 'daemon-reexec': reexec, ...p }) => ({ ...p, daemon_reload: p.daemon_reload || !!alias, daemon_reexec: p.daemon_reexec || !!reexec }))
  .refine((p) => p.name !== undefined || ((p.daemon_reload || p.daemon_reexec) && p.state === undefined && p.enabled === undefined && p.masked === undefined), {
    message: 'name is required unless only daemon_reload or daemon_reexec is asked',
  })

const params = unitParams
  .refine((p) => p.sleep === undefined, { message: 'sleep is a parameter of the service module, not of systemd' })
  .refine((p) => p.use === undefined, { message: 'use is a parameter of the service module, not of systemd' })

type Params = z.output<typeof params>

const RUNNING = ['active', 'activating', 'reloading']
const ENABLED = ['enabled', 'enabled-runtime']
// States `enable`/`disable` cannot change; asking for either is then not a change (as Ansible).
const FIXED = ['static', 'indirect', 'generated', 'transient', 'alias']

export default defineModule({
  name: 'systemd',
  aliases: { service: 'name', unit: 'name' },
  description: 'Start, stop, restart or reload a systemd unit, enable it at boot, mask it; daemon-reload when needed.',
  params,
  // daemon_reload alone reads which units changed on disk, as its plan does.
  reads: (p) => (p.name !== undefined ? [{ def: systemdUnitFact, args: { name: p.name } }] : p.daemon_reload ? [{ def: systemdStaleFact, args: {} }] : []),
  async plan(ctx, p) {
    const reexec = p.daemon_reexec && !ctx.check ? [cmd('daemon-reexec', REEXEC)] : []
    if (p.name === undefined) {
      const stale = p.daemon_reload ? await ctx.fact(systemdStaleFact, {}) : []
      return [...reexec, ...(stale.length && !ctx.check ? [cmd(`daemon-reload (changed on disk: ${stale.join(', ')})`, RELOAD)] : [])]
    }
    return [...reexec, ...planUnit(ctx, p, await ctx.fact(systemdUnitFact, { name: p.name }))]
  },
  async apply(ctx, p, plan) {
    for (const change of plan.changes) {
      const r = await ctx.exec(change.data)
      if (r.rc !== 0) {
        ctx.invalidate(systemdUnitFact)
        throw new PghaError('task', `${change.description} failed on ${ctx.host} (rc ${r.rc}): ${(r.stderr || r.stdout).trim()}`)
      }
    }
    // daemon-reload can change every unit's state; otherwise only this unit's.
    ctx.invalidate(systemdUnitFact, plan.changes.some((c) => c.data === RELOAD || c.data === REEXEC) ? undefined : { name: p.name })
    ctx.invalidate(systemdStaleFact)
    // Reloading or re-executing systemd alone is not a change, as in Ansible.
    const changed = plan.changes.some((c) => c.data !== RELOAD && c.data !== REEXEC)
    if (p.name === undefined) return { changed }
    const u = await ctx.fact(systemdUnitFact, { name: p.name })
    return { changed, name: u.unit, state: p.state, enabled: ENABLED.includes(u.unitFileState), status: { ActiveState: u.activeState, SubState: u.subState, UnitFileState: u.unitFileState, LoadState: u.loadState } }
  },
})

const RELOAD = 'systemctl daemon-reload'
const REEXEC = 'systemctl daemon-reexec'

/** A change that carries the systemctl command apply runs. */
const cmd = (description: string, command: string): Change<string> => ({ description, data: command })

function planUnit(ctx: ModuleContext, p: Params, u: UnitState): Change<string>[] {
  const systemctl = (verb: string) => commandLine(`systemctl ${verb}`, [], [u.unit])
  const notFound = u.loadState === 'not-found'
  const changes: Change<string>[] = []
  // A unit file written by an earlier task is either loaded on demand (not stale) or flagged NeedDaemonReload.
  const reload = p.daemon_reload && (u.needDaemonReload || notFound)
  // Ansible's check mode does not reload: what the reload would change is previewed from the files.
  if (reload && !ctx.check) changes.push(cmd(`daemon-reload (${u.unit} ${notFound ? 'not loaded' : 'changed on disk'})`, RELOAD))
  // In a check run, a unit file an earlier task would have written is not there yet: preview its start.
  const writtenEarlier = [...(ctx.toCreate?.paths ?? [])].some((path) => path.endsWith(`/systemd/system/${u.unit}`))
  if (notFound && !reload && !writtenEarlier && (p.state !== undefined || p.enabled !== undefined || p.masked === false)) {
    throw new PghaError('task', `unit ${u.unit} not found on ${ctx.host}`)
  }
  const masked = u.loadState === 'masked' || u.unitFileState.startsWith('masked')
  if (p.masked === false && masked) changes.push(cmd(`unmask ${u.unit}`, systemctl('unmask')))
  if (p.masked === true && !masked) changes.push(cmd(`mask ${u.unit}`, systemctl('mask')))
  const willBeMasked = p.masked ?? masked
  if (p.enabled !== undefined && !FIXED.includes(u.unitFileState)) {
    if (p.enabled && willBeMasked) throw new PghaError('task', `cannot enable ${u.unit} on ${ctx.host}: it is masked`)
    const enabled = ENABLED.includes(u.unitFileState)
    if (p.enabled !== enabled) changes.push(cmd(`${p.enabled ? 'enable' : 'disable'} ${u.unit}`, systemctl(p.enabled ? 'enable' : 'disable')))
  }
  const running = RUNNING.includes(u.activeState)
  const action =
    p.state === 'started' ? (running ? undefined : 'start')
    : p.state === 'stopped' ? (running ? 'stop' : undefined)
    : p.state === 'restarted' ? 'restart'
    : p.state === 'reloaded' ? (running ? 'reload' : 'start')
    : undefined
  if (action && willBeMasked && action !== 'stop') throw new PghaError('task', `cannot ${action} ${u.unit} on ${ctx.host}: it is masked`)
  if (action === 'restart' && p.sleep !== undefined) {
    changes.push(cmd(`restart ${u.unit} (stop, wait ${p.sleep} s, start)`, `${systemctl('stop')} && sleep ${p.sleep} && ${systemctl('start')}`))
  } else if (action) changes.push(cmd(`${action} ${u.unit}`, systemctl(action)))
  return changes
}
