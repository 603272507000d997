// hostname: sets the host's name the way its system keeps it, as Ansible's hostname module chooses: on a
// host systemd runs, hostnamectl (the static name, then the transient one); otherwise the distribution's
// file, /etc/hostname on Debian and /etc/sysconfig/network (HOSTNAME=) on EL. Planned from what those
// say now, so check mode and the `hostname = ...` diff are exact. Sets ansible_hostname and
// ansible_nodename, as Ansible does.
import { z } from 'zod'
import { PghaError } from '../errors.js'
import { hostFacts, hostnameFact, type HostnameInfo } from '../facts/index.js'
import { commandLine } from '../shell/index.js'
import { defineModule, type Change, type ModuleContext } from './types.js'
import { applyFileOps, type FileOp } from './lib/file-ops.js'
import { hostNameParam } from './lib/value-kinds.js'

const params = z
  .object({
    name: hostNameParam().describe('The host name to set.'),
    use: z
      .enum(['systemd', 'debian', 'redhat'])
      .optional()
      .describe("How to set it: systemd (hostnamectl; debian is the same), redhat (/etc/sysconfig/network); default: systemd when systemd runs the host, else the distribution's file. Ansible's other strategies (alpine, freebsd, openrc, ...) are not implemented."),
  })
  .strict()

type Strategy = 'systemd' | 'file' | 'redhat'

async function strategyOf(ctx: ModuleContext, use: string | undefined, info: HostnameInfo): Promise<Strategy> {
  if (use === 'systemd' || use === 'debian') return 'systemd'
  if (use === 'redhat') return 'redhat'
  if (info.systemd) return 'systemd'
  const family = (await ctx.fact(hostFacts, {})).os_family
  if (family === 'Debian') return 'file'
  if (family === 'RedHat') return 'redhat'
  throw new PghaError('task', `hostname module cannot be used on platform Linux (${family})`)
}

/** HOSTNAME= of /etc/sysconfig/network, as Ansible's RedHat strategy reads it. */
function redhatName(text: string | undefined): string {
  for (const line of (text ?? '').split('\n').map((l) => l.trim())) {
    if (line.startsWith('HOSTNAME')) {
      const parts = line.split('=')
      if (parts.length !== 2) throw new PghaError('task', `failed to read hostname: cannot parse '${line}' in /etc/sysconfig/network`)
      return parts[1].trim()
    }
  }
  throw new PghaError('task', 'Unable to locate HOSTNAME entry in /etc/sysconfig/network')
}

/** /etc/sysconfig/network with HOSTNAME= set, as Ansible writes it. */
export function withRedhatName(text: string, name: string): string {
  let found = false
  const lines = (text.match(/[^\n]*\n|[^\n]+$/g) ?? []).map((l) => {
    if (!l.trim().startsWith('HOSTNAME')) return l
    found = true
    return `HOSTNAME=${name}\n`
  })
  if (!found) lines.push(`HOSTNAME=${name}\n`)
  return lines.join('')
}

export default defineModule({
  name: 'hostname',
  description: "Set the host's name (hostnamectl under systemd, else the distribution's file)",
  params,
  reads: () => [{ def: hostnameFact, args: {} }],
  async plan(ctx, p) {
    const info = await ctx.fact(hostnameFact, {})
    const strategy = await strategyOf(ctx, p.use, info)
    if (strategy === 'systemd' && p.name.length > 64) throw new PghaError('task', 'name cannot be longer than 64 characters on systemd servers, try a shorter name')
    const current = strategy === 'systemd' ? (info.transient ?? '') : strategy === 'file' ? (info.etcHostname ?? '').trim() : redhatName(info.sysconfigNetwork)
    const permanent = strategy === 'systemd' ? (info.static ?? '') : current
    const changes: Change<FileOp>[] = []
    const before = p.name !== current ? current : permanent
    const diff = { before: `hostname = ${before}\n`, after: `hostname = ${p.name}\n` }
    if (strategy === 'systemd') {
      if (permanent !== p.name) changes.push({ description: `set the static host name to ${p.name}`, ...diff, data: { op: 'sh', command: commandLine('hostnamectl', ['--pretty', '--static', 'set-hostname'], [p.name]) } })
      if (current !== p.name) changes.push({ description: `set the transient host name to ${p.name}`, ...(changes.length ? {} : diff), data: { op: 'sh', command: commandLine('hostnamectl', ['--transient', 'set-hostname'], [p.name]) } })
    } else if (current !== p.name) {
      const [path, content] = strategy === 'file' ? ['/etc/hostname', `${p.name}\n`] : ['/etc/sysconfig/network', withRedhatName(info.sysconfigNetwork ?? '', p.name)]
      changes.push({ description: `write ${p.name} to ${path}`, ...diff, data: { op: 'write', path, content, options: {} } })
    }
    const short = p.name.split('.')[0]
    const domain = info.fqdn.split('.').slice(1).join('.')
    return { changes, result: { name: p.name, ansible_facts: { ansible_hostname: short, ansible_nodename: p.name, ansible_fqdn: info.fqdn, ansible_domain: domain } } }
  },
  async apply(ctx, p, plan) {
    const r = await applyFileOps(ctx, p, plan)
    ctx.invalidate(hostnameFact)
    return r
  },
})
