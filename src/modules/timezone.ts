// timezone (community.general): sets the time zone and whether the hardware clock keeps UTC or local time,
// as Ansible's timezone module does on Linux: with timedatectl when it runs (systemd), otherwise by
// editing /etc/timezone (Debian: then /etc/localtime is linked and tzdata reconfigured) or
// /etc/sysconfig/clock (EL: /etc/localtime is copied), and /etc/default/rcS or /etc/sysconfig/clock plus
// `hwclock --systohc` for the clock. The current values are read the same way Ansible reads them, so
// check mode is exact; after a change they are read again and a value that did not take fails the task.
import { z } from 'zod'
import { PghaError } from '../errors.js'
import { timezoneFact, type TimezoneInfo } from '../facts/index.js'
import { commandLine, shq } from '../shell/index.js'
import { defineModule, type Change } from './types.js'
import { run } from './lib/file-ops.js'
import { timezoneNameParam } from './lib/value-kinds.js'

const params = z
  .object({
    name: timezoneNameParam().optional().describe('The time zone, as under /usr/share/zoneinfo: Europe/Paris, Etc/UTC.'),
    hwclock: z.enum(['local', 'UTC']).optional().describe('Whether the hardware clock keeps local time or UTC (alias rtc).'),
  })
  .strict()
  .refine((p) => p.name !== undefined || p.hwclock !== undefined, { message: 'one of name, hwclock is required' })

type Params = z.output<typeof params>
type Key = 'name' | 'hwclock'

const TRUE = new Set(['y', 'yes', 'on', '1', 'true', 't'])
const truthy = (v: string): boolean => TRUE.has(v.toLowerCase())

/** How this host keeps each setting (Ansible's SystemdTimezone or NosystemdTimezone). */
interface Layout {
  systemd: boolean
  /** Debian: /etc/timezone and /etc/default/rcS; EL: /etc/sysconfig/clock for both. */
  debian: boolean
  /** EL's line format in /etc/sysconfig/clock: ZONE="..." or SuSE's TIMEZONE="...". */
  suse: boolean
}

const layoutOf = (info: TimezoneInfo): Layout => ({
  systemd: info.timedatectl !== undefined,
  debian: info.dpkgReconfigure,
  suse: /^TIMEZONE\s*=/m.test(info.sysconfigClock ?? ''),
})

function zoneRegex(l: Layout): RegExp {
  if (l.debian) return /^([^\s]+)/m
  return l.suse ? /^TIMEZONE\s*=\s*"?([^"\s]+)"?/m : /^ZONE\s*=\s*"?([^"\s]+)"?/m
}

/** The setting's current value as Ansible's get(key, 'before') reads it. */
export function currentValue(key: Key, planned: string, info: TimezoneInfo): string {
  const l = layoutOf(info)
  if (l.systemd) {
    const re = key === 'name' ? /^\s*Time ?zone\s*:\s*([^\s]+)/m : /^\s*RTC in local TZ\s*:\s*([^\s]+)/m
    const v = re.exec(info.timedatectl!)?.[1]
    if (v === undefined) throw new PghaError('task', `timedatectl status does not show the ${key === 'name' ? 'time zone' : 'RTC setting'}`)
    return key === 'name' ? v : truthy(v) ? 'local' : 'UTC'
  }
  if (key === 'hwclock') {
    const conf = l.debian ? info.rcS : info.sysconfigClock
    const v = conf === undefined ? undefined : /^UTC\s*=\s*([^\s]+)/m.exec(conf)?.[1]
    const value = v === undefined ? 'n/a' : truthy(v) ? 'UTC' : 'local'
    if (value !== planned) return value
    const adj = info.adjtime === undefined ? undefined : /^(UTC|LOCAL)$/m.exec(info.adjtime)?.[1]
    return adj === undefined || adj === 'UTC' ? 'UTC' : adj.toLowerCase()
  }
  const conf = l.debian ? info.etcTimezone : info.sysconfigClock
  const value = (conf === undefined ? undefined : zoneRegex(l).exec(conf)?.[1]) ?? 'n/a'
  if (value !== planned) return value
  if (info.localtimeLink !== undefined) {
    if (!info.localtimeExists) return 'n/a'
    const link = /(?:\/(?:usr\/share|etc)\/zoneinfo\/)(.*)/.exec(info.localtimeLink)
    return link ? link[1] : 'n/a'
  }
  return info.zoneIsLocaltime ? value : 'n/a'
}

/** Ansible's _edit_file: the first matching line replaced by `line`, the other matching lines removed. */
export function editConf(text: string | undefined, re: RegExp, line: string): string {
  const lines = text?.match(/[^\n]*\n|[^\n]+$/g) ?? []
  const single = new RegExp(re.source)
  const matched = lines.map((l, i) => (single.test(l) ? i : -1)).filter((i) => i >= 0)
  const at = matched[0] ?? 0
  const kept = lines.filter((_, i) => !matched.includes(i))
  kept.splice(at, 0, line)
  return kept.join('')
}

/** The sh that writes a file's new text (created 0644 when missing, as Python's open would). */
const writeText = (path: string, text: string): string => `printf '%s' ${shq(text)} > ${shq(path)}`

/** The commands that set `key` to `value` on this host. */
function setCommands(key: Key, value: string, info: TimezoneInfo): string[] {
  const l = layoutOf(info)
  if (l.systemd) return [key === 'name' ? commandLine('timedatectl set-timezone', [], [value]) : commandLine('timedatectl set-local-rtc', [], [value === 'local' ? 'yes' : 'no'])]
  if (key === 'hwclock') {
    const conf = l.debian ? '/etc/default/rcS' : '/etc/sysconfig/clock'
    const text = editConf(l.debian ? info.rcS : info.sysconfigClock, /^UTC\s*=\s*([^\s]+)/m, `UTC=${value === 'local' ? 'no' : 'yes'}\n`)
    return [writeText(conf, text), `hwclock --systohc ${value === 'local' ? '--localtime' : '--utc'}`]
  }
  const zone = `/usr/share/zoneinfo/${value}`
  if (l.debian) {
    return [writeText('/etc/timezone', editConf(info.etcTimezone, zoneRegex(l), `${value}\n`)), commandLine('ln -sf', [], [zone, '/etc/localtime']), 'dpkg-reconfigure --frontend noninteractive tzdata']
  }
  const line = l.suse ? `TIMEZONE="${value}"\n` : `ZONE="${value}"\n`
  return [writeText('/etc/sysconfig/clock', editConf(info.sysconfigClock, zoneRegex(l), line)), commandLine('cp --remove-destination', [], [zone, '/etc/localtime'])]
}

const KEYS: Key[] = ['hwclock', 'name']
const planned = (p: Params): [Key, string][] => KEYS.filter((k) => p[k] !== undefined).map((k) => [k, p[k]!])

export default defineModule({
  name: 'timezone',
  description: 'Set the time zone and whether the hardware clock keeps UTC or local time',
  params,
  aliases: { rtc: 'hwclock' },
  reads: (p) => [{ def: timezoneFact, args: { zone: p.name } }],
  async plan(ctx, p) {
    const info = await ctx.fact(timezoneFact, { zone: p.name })
    if (p.name !== undefined && !info.zoneExists) throw new PghaError('task', `given timezone "${p.name}" is not available`)
    const changes: Change<string[]>[] = []
    for (const [key, value] of planned(p)) {
      const before = currentValue(key, value, info)
      if (before === value) continue
      changes.push({ description: `set ${key} to ${value} (now ${before})`, before: `${key} = ${before}\n`, after: `${key} = ${value}\n`, data: setCommands(key, value, info) })
    }
    return changes
  },
  async apply(ctx, p, plan) {
    for (const change of plan.changes) for (const command of change.data) await run(ctx, command)
    ctx.invalidate(timezoneFact)
    const info = await ctx.fact(timezoneFact, { zone: p.name })
    const after = Object.fromEntries(planned(p).map(([key, value]) => [key, currentValue(key, value, info)]))
    const want = Object.fromEntries(planned(p))
    if (JSON.stringify(after) !== JSON.stringify(want)) {
      throw new PghaError('task', `still not desired state, though changes have made - planned: ${JSON.stringify(want)}, after: ${JSON.stringify(after)}`)
    }
  },
})
