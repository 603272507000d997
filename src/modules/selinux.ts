// selinux: the SELinux state and policy, as ansible.posix's module sets them: SELINUX= and SELINUXTYPE= in
// the config file (changed in place, shown in --diff), the running state with setenforce where that can
// change without a reboot, and with update_kernel_param selinux=0 on every kernel's command line (grubby).
// What needs a reboot says so (reboot_required). Plan reads everything in one command, so check mode is exact.
import { z } from 'zod'
import { PghaError } from '../errors.js'
import { shq } from '../shell/index.js'
import { defineModule, type Change } from './types.js'
import { bool } from './lib/params.js'
import { absolutePathParam } from './lib/value-kinds.js'

const params = z
  .object({
    policy: z.string().regex(/^[\w.-]+$/, 'policy is a policy name such as targeted').optional().describe("The policy (SELINUXTYPE), such as targeted; required unless state is disabled."),
    state: z.enum(['enforcing', 'permissive', 'disabled']).describe('enforcing, permissive or disabled.'),
    configfile: absolutePathParam().default('/etc/selinux/config').describe('The SELinux config file (aliases: conf, file).'),
    update_kernel_param: bool(false, 'Also add or remove selinux=0 on the command line of every kernel (grubby).'),
  })
  .strict()
  .refine((p) => p.state === 'disabled' || p.policy !== undefined, { message: "Policy is required if state is not 'disabled'", path: ['policy'] })

type Params = z.output<typeof params>
type Action = { write?: string; command?: string }

const MARK = '@@pgha-selinux@@'

/** One command: the running state, the running policy, the kernels' arguments, the policy's files, the config. */
function readScript(p: Params): string {
  return [
    'export LC_ALL=C',
    'if command -v selinuxenabled >/dev/null 2>&1 && selinuxenabled; then echo "runtime $(getenforce)"; else echo "runtime Disabled"; fi',
    // libselinux's selinux_getpolicytype, which Ansible's module asks, reads the system's config file.
    `echo "runtime_policy $(sed -n 's/^SELINUXTYPE=//p' /etc/selinux/config 2>/dev/null | head -n 1)"`,
    p.policy ? `[ -e ${shq(`/etc/selinux/${p.policy}/policy`)} ] && echo policy_exists` : '',
    p.update_kernel_param ? `if command -v grubby >/dev/null 2>&1; then echo grubby; grubby --info=ALL | sed -n 's/^args=/kernel /p'; fi` : '',
    `if [ -f ${shq(p.configfile)} ]; then echo ${MARK}; cat ${shq(p.configfile)}; fi`,
  ].filter(Boolean).join('\n')
}

interface Found {
  runtimeState: 'enforcing' | 'permissive' | 'disabled'
  runtimePolicy?: string
  policyExists: boolean
  grubby: boolean
  /** Each kernel's arguments. */
  kernels: string[][]
  config?: string
}

function parse(stdout: string): Found {
  const at = stdout.indexOf(`${MARK}\n`)
  const head = (at < 0 ? stdout : stdout.slice(0, at)).split('\n')
  const value = (key: string) => head.find((l) => l.startsWith(`${key} `))?.slice(key.length + 1).trim()
  return {
    runtimeState: (value('runtime')?.toLowerCase() ?? 'disabled') as Found['runtimeState'],
    runtimePolicy: value('runtime_policy') || undefined,
    policyExists: head.includes('policy_exists'),
    grubby: head.includes('grubby'),
    kernels: head.filter((l) => l.startsWith('kernel ')).map((l) => l.slice(7).replace(/^"|"$/g, '').split(' ')),
    config: at < 0 ? undefined : stdout.slice(at + MARK.length + 1),
  }
}

/** The value of a KEY= line of the config, as the module reads it (the text after the first '=', stripped). */
const configValue = (text: string, key: string): string | undefined =>
  text.split('\n').find((l) => l.startsWith(`${key}=`))?.split('=')[1].trim()

/** The config with every KEY= line set to the value, or the line added at the end when there is none. */
function setConfig(text: string, key: string, value: string): string {
  const lines = text.split('\n')
  if (lines[lines.length - 1] === '') lines.pop()
  const found = lines.some((l) => l.startsWith(`${key}=`))
  const out = lines.map((l) => (l.startsWith(`${key}=`) ? `${key}=${value}` : l))
  return `${[...out, ...(found ? [] : [`${key}=${value}`])].join('\n')}\n`
}

export default defineModule({
  name: 'selinux',
  aliases: { conf: 'configfile', file: 'configfile' },
  description: 'Set the SELinux state and policy (config file, setenforce, kernel command line).',
  params,
  async plan(ctx, p) {
    const r = await ctx.exec(readScript(p))
    if (r.rc !== 0) throw new PghaError('task', r.stderr.trim() || `reading the SELinux state failed (rc ${r.rc})`)
    const found = parse(r.stdout)
    if (found.config === undefined) throw new PghaError('task', `Unable to find file ${p.configfile}: install the SELinux policy package`)
    const configPolicy = configValue(found.config, 'SELINUXTYPE')
    const configState = configValue(found.config, 'SELINUX')
    const policy = p.policy ?? configPolicy
    const msgs: string[] = []
    const changes: Change<Action>[] = []
    let config = found.config
    let rebootRequired = false
    if (policy !== found.runtimePolicy) msgs.push(`Running SELinux policy changed from '${found.runtimePolicy ?? 'None'}' to '${policy}'`)
    if (policy !== configPolicy && policy !== undefined) {
      if (!found.policyExists) throw new PghaError('task', `Policy ${policy} does not exist in /etc/selinux/`)
      config = setConfig(config, 'SELINUXTYPE', policy)
      msgs.push(`SELinux policy configuration in '${p.configfile}' changed from '${configPolicy ?? 'None'}' to '${policy}'`)
    }
    if (p.state !== found.runtimeState) {
      if (found.runtimeState === 'disabled') {
        ctx.log(`Reboot is required to set SELinux state to '${p.state}'`)
        rebootRequired = true
      } else if (p.state === 'disabled') {
        // Disabling takes a reboot; an enforcing system is made permissive meanwhile.
        if (found.runtimeState === 'enforcing') changes.push({ description: 'set SELinux permissive until the reboot that disables it', data: { command: 'setenforce 0' } })
        ctx.log('SELinux state change will take effect next reboot')
        rebootRequired = true
      } else {
        changes.push({ description: `set SELinux ${p.state}`, data: { command: `setenforce ${p.state === 'enforcing' ? 1 : 0}` } })
        msgs.push(`SELinux state changed from '${found.runtimeState}' to '${p.state}'`)
      }
    }
    if (p.state !== configState) {
      config = setConfig(config, 'SELINUX', p.state)
      msgs.push(`Config SELinux state changed from '${configState ?? 'None'}' to '${p.state}'`)
    }
    if (config !== found.config) changes.unshift({ description: `write ${p.configfile}`, path: p.configfile, before: found.config, after: config, data: { write: config } })
    if (p.update_kernel_param) changes.push(...kernelChange(found, p.state !== 'disabled', msgs))
    // The running policy differs and nothing else would change: Ansible reports a change it cannot make.
    if (changes.length === 0 && msgs.length > 0) changes.push({ description: msgs[0], data: {} })
    return { changes, result: { msg: msgs.join(', '), configfile: p.configfile, policy, state: p.state, reboot_required: rebootRequired } }
  },
  async apply(ctx, p, plan) {
    for (const { data } of plan.changes) {
      if (data.write !== undefined) await ctx.writeFile(p.configfile, data.write)
      if (data.command === undefined) continue
      const r = await ctx.exec(`LC_ALL=C ${data.command}`)
      if (r.rc !== 0) throw new PghaError('task', `${data.command} failed (rc ${r.rc}): ${(r.stderr || r.stdout).trim()}`)
    }
  },
})

/** grubby's change of selinux=0 when the kernels do not all agree with the state (Ansible's get_kernel_enabled). */
function kernelChange(found: Found, enable: boolean, msgs: string[]): Change<Action>[] {
  if (!found.grubby) throw new PghaError('task', "'grubby' command not found on host: the grubby package updates the kernel command line")
  const off = found.kernels.map((args) => args.includes('selinux=0'))
  const allEnabled = off.every((o) => !o)
  const allDisabled = off.every((o) => o)
  const enabled = allEnabled === allDisabled ? undefined : allEnabled
  if (enabled === enable) return []
  const states = enable ? ['disabled', 'enabled'] : ['enabled', 'disabled']
  msgs.push(`Kernel SELinux state changed from '${enabled === undefined ? '<inconsistent>' : states[0]}' to '${states[1]}'`)
  return [{ description: `${enable ? 'remove selinux=0 from' : 'add selinux=0 to'} every kernel's command line`, data: { command: `grubby --update-kernel=ALL ${enable ? '--remove-args' : '--args'} selinux=0` } }]
}
