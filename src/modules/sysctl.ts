// sysctl (ansible.posix): keeps a kernel parameter in a sysctl file (default /etc/sysctl.conf) and, with
// reload, loads that file (`sysctl -p`); with sysctl_set, sets the live value (`sysctl -w`) when it
// differs. The decision is Ansible's, step for step: the file is rewritten normalised (`key=value`, one
// per key, comments kept) only when the key's value there differs; planned from the file and the live
// value, so check mode and --diff are exact.
import { z } from 'zod'
import { PghaError } from '../errors.js'
import { fileFact, sysctlFact } from '../facts/index.js'
import { commandLine } from '../shell/index.js'
import { defineModule, type Change } from './types.js'
import { applyFileOps, type FileOp } from './lib/file-ops.js'
import { diffText } from './lib/file-plan.js'
import { bool } from './lib/params.js'
import { hostPathParam, singleLineParam, sysctlNameParam } from './lib/value-kinds.js'

const TRUE = new Set(['y', 'yes', 'on', '1', 'true', 't'])
const FALSE = new Set(['n', 'no', 'off', '0', 'false', 'f'])

const params = z
  .object({
    name: sysctlNameParam().describe('The kernel parameter, e.g. net.ipv4.ip_forward.'),
    value: z
      .union([z.string(), z.number(), z.boolean()])
      .transform((v) => (typeof v === 'boolean' ? (v ? '1' : '0') : String(v)))
      .pipe(singleLineParam())
      .optional()
      .describe('The value (required with state=present); yes/no/true/false become 1/0, as in Ansible (alias val).'),
    state: z.enum(['present', 'absent']).default('present').describe('Whether the parameter is in the sysctl file.'),
    reload: bool(true, 'Load the sysctl file (sysctl -p FILE) when something changed.'),
    sysctl_set: bool(false, 'Set the live value with sysctl -w when it differs.'),
    ignoreerrors: bool(false, 'Ignore unknown keys (sysctl -e).'),
    sysctl_file: hostPathParam().default('/etc/sysctl.conf').describe('The file that keeps the setting.'),
  })
  .strict()
  .refine((p) => p.state === 'absent' || (p.value !== undefined && p.value.trim() !== ''), { message: 'value is required (and not blank) with state=present', path: ['value'] })

type Params = z.output<typeof params>

/** Ansible's _parse_value: booleans as 1/0, other text trimmed. */
export function parseValue(v: string | undefined): string {
  if (v === undefined) return ''
  const l = v.toLowerCase()
  return TRUE.has(l) ? '1' : FALSE.has(l) ? '0' : v.trim()
}

const sameWords = (a: string | null, b: string): boolean => {
  if (a === null) return false
  const x = a.split(/\s+/).filter(Boolean)
  const y = b.split(/\s+/).filter(Boolean)
  return x.length === y.length && x.every((w, i) => w === y[i])
}

const isSetting = (line: string): boolean => line !== '' && !line.startsWith('#') && !line.startsWith(';') && line.includes('=')
const splitSetting = (line: string): [string, string] => [line.slice(0, line.indexOf('=')).trim(), line.slice(line.indexOf('=') + 1).trim()]

/** The file's settings (the last value of each key) and its text rewritten as Ansible's fix_lines and write_sysctl do. */
export function sysctlFile(text: string, name: string, value: string, present: boolean): { current: string | undefined; after: string } {
  const lines = (text.match(/[^\n]*\n|[^\n]+$/g) ?? []).map((l) => l.trim())
  let current: string | undefined
  for (const l of lines) if (isSetting(l) && splitSetting(l)[0] === name) current = splitSetting(l)[1]
  const seen = new Set<string>()
  const out: string[] = []
  for (const l of lines) {
    if (!isSetting(l)) {
      out.push(l)
      continue
    }
    const [k, v] = splitSetting(l)
    if (seen.has(k)) continue
    seen.add(k)
    if (k !== name) out.push(`${k}=${v}`)
    else if (present) out.push(`${k}=${value}`)
  }
  if (!seen.has(name) && present) out.push(`${name}=${value}`)
  return { current, after: out.map((l) => `${l.trim()}\n`).join('') }
}

/** A command that fails the task on sysctl's own failure words too (it may exit 0 after "Invalid argument"). */
const checked = (command: string): string => `out=$(${command} 2>&1); rc=$?; printf '%s\\n' "$out" >&2; [ $rc = 0 ] && ! printf '%s\\n' "$out" | grep -Eq '^sysctl: setting key "[^"]+": (Invalid argument|Read-only file system)$'`

const fileArgs = (p: Params) => ({ path: p.sysctl_file, follow: true, content: 16 * 1024 * 1024 })

export default defineModule({
  name: 'sysctl',
  description: 'Keep a kernel parameter in a sysctl file, and load it or set it live',
  params,
  aliases: { key: 'name', val: 'value' },
  reads: (p) => [{ def: sysctlFact, args: { name: p.name } }, { def: fileFact, args: fileArgs(p) }],
  async plan(ctx, p) {
    const value = parseValue(p.value)
    const present = p.state === 'present'
    const live = await ctx.fact(sysctlFact, { name: p.name })
    const file = await ctx.fact(fileFact, fileArgs(p))
    if (file.type === 'file' && file.content === undefined) throw new PghaError('task', `Failed to open ${p.sysctl_file}: it cannot be read as text`)
    const text = file.type === 'file' ? (file.content ?? '') : ''
    const { current, after } = sysctlFile(text, p.name, value, present)
    let changed = false
    let writeFile = false
    let setLive = false
    if (current === undefined) changed = writeFile = present
    else if (current !== '' && !present) changed = writeFile = true
    else if (current !== value) changed = writeFile = true
    else if (p.reload && !sameWords(live, value)) changed = true
    if (p.sysctl_set && present && !sameWords(live, value)) {
      changed = true
      setLive = live !== null
    }
    const changes: Change<FileOp>[] = []
    const e = p.ignoreerrors && '-e'
    if (setLive) {
      changes.push({ description: `set ${p.name} = ${value} (live: ${(live ?? '').trim()})`, data: { op: 'sh', command: checked(commandLine('LANG=C LC_ALL=C sysctl', [e, '-w'], [`${p.name}=${value}`])) } })
    }
    if (writeFile) {
      const path = file.realpath ?? p.sysctl_file
      changes.push({ description: `${present ? 'set' : 'remove'} ${p.name} in ${path}`, path, before: diffText(text), after, data: { op: 'write', path, content: after, options: {} } })
    }
    if (changed && p.reload) {
      changes.push({ description: `load ${p.sysctl_file} (sysctl -p)`, data: { op: 'sh', command: checked(commandLine('LANG=C LC_ALL=C sysctl', [e, '-p'], [p.sysctl_file])) } })
    }
    if (changed && changes.length === 0) changes.push({ description: `${p.name} cannot be read live`, data: { op: 'sh', command: 'true' } })
    return changes
  },
  async apply(ctx, p, plan) {
    const r = await applyFileOps(ctx, p, plan)
    ctx.invalidate(sysctlFact)
    return r
  },
})
