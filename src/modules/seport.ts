// seport: SELinux port type definitions, as community.general's module keeps them: each port (or range)
// given is listed under the type (added, or moved from the type it has) or, with absent, taken from it.
// Plan reads `semanage port -l` (the local customizations only with local: true), so check mode is exact
// and a second run plans nothing; apply runs semanage once per port.
import { z } from 'zod'
import { PghaError } from '../errors.js'
import { commandLine } from '../shell/index.js'
import { defineModule } from './types.js'
import { bool } from './lib/params.js'
import { stringList } from './lib/list-param.js'

const PORT = /^\d{1,5}(-\d{1,5})?$/

const params = z
  .object({
    ports: z
      .preprocess((v) => (typeof v === 'number' ? String(v) : v), stringList())
      .refine((ports) => ports.length > 0, 'ports needs at least one port')
      .refine((ports) => ports.every((p) => PORT.test(p)), 'each port is a number or a range such as 10000-10100')
      .describe('Ports or port ranges: a list, or a comma-separated string such as "10000-10100,10112".'),
    proto: z.enum(['tcp', 'udp']).describe('Protocol of the ports.'),
    setype: z.string().regex(/^\w+$/, 'setype is an SELinux type such as http_port_t').describe('SELinux type of the ports, such as http_port_t.'),
    state: z.enum(['present', 'absent']).default('present').describe('present: the ports have the type; absent: they do not.'),
    reload: bool(true, 'Reload the SELinux policy after the change (no: semanage -N).'),
    ignore_selinux_state: bool(false, 'Run even when SELinux is disabled on the host.'),
    local: bool(false, "Compare with the local customizations only (semanage port -l -C), not the policy's own definitions too."),
  })
  .strict()

type Params = z.output<typeof params>

const ALL = '@@pgha-all@@'

/** The plan's read: whether SELinux is on, then `semanage port -l` of the definitions to compare with. */
const readScript = (p: Params): string => [
  'export LC_ALL=C',
  'if command -v selinuxenabled >/dev/null 2>&1 && selinuxenabled; then echo enabled; fi',
  "command -v semanage >/dev/null 2>&1 || { echo 'seport needs semanage on the host (the policycoreutils-python-utils package)' >&2; exit 1; }",
  `echo ${ALL}`,
  'semanage port -l -n || exit 1',
  ...(p.local ? [`echo ${ALL}`, 'semanage port -l -n -C || exit 1'] : []),
].join('\n')

/** `semanage port -l -n` lines (`http_port_t  tcp  80, 81, 8008-8009`) as type/proto -> ports. */
export function portsByType(listing: string): Map<string, string[]> {
  const out = new Map<string, string[]>()
  for (const line of listing.split('\n')) {
    const m = /^(\S+)\s+(tcp|udp|dccp|sctp)\s+(.*)$/.exec(line.trim())
    if (m) out.set(`${m[1]}/${m[2]}`, [...(out.get(`${m[1]}/${m[2]}`) ?? []), ...m[3].split(',').map((s) => s.trim()).filter(Boolean)])
  }
  return out
}

export default defineModule({
  name: 'seport',
  description: 'Give network ports an SELinux type, or take it away (semanage port).',
  params,
  async plan(ctx, p) {
    const r = await ctx.exec(readScript(p))
    if (r.rc !== 0) throw new PghaError('task', r.stderr.trim() || `semanage port -l failed (rc ${r.rc})`)
    const [head, all, local] = r.stdout.split(`${ALL}\n`)
    if (!p.ignore_selinux_state && !head.includes('enabled')) throw new PghaError('task', 'SELinux is disabled on this host.')
    const listed = portsByType(p.local ? (local ?? '') : all).get(`${p.setype}/${p.proto}`) ?? []
    const anyType = [...portsByType(all).values()].flat()
    const noReload = p.reload ? undefined : '-N'
    const result = { ports: p.ports, proto: p.proto, setype: p.setype, state: p.state }
    if (p.state === 'absent') {
      const changes = p.ports.filter((port) => listed.includes(port)).map((port) => ({
        description: `remove ${port}/${p.proto} from SELinux type ${p.setype}`,
        data: { command: commandLine('semanage port', [noReload, '-d', ['-p', p.proto]], [port]) },
      }))
      return { changes, result }
    }
    const changes = p.ports.filter((port) => !listed.includes(port)).map((port) => ({
      description: `give ${port}/${p.proto} the SELinux type ${p.setype}`,
      // A port some type already has is modified to this one; semanage -a would refuse it.
      data: { command: commandLine('semanage port', [noReload, anyType.includes(port) ? '-m' : '-a', ['-t', p.setype], ['-p', p.proto]], [port]) },
    }))
    return { changes, result }
  },
  async apply(ctx, _p, plan) {
    for (const c of plan.changes) {
      const r = await ctx.exec(`LC_ALL=C ${c.data.command}`)
      if (r.rc !== 0) throw new PghaError('task', `${c.data.command} failed (rc ${r.rc}): ${(r.stderr || r.stdout).trim()}`)
    }
  },
})
