// cron: a named job (`#Ansible: NAME` and the job line below it) or an environment variable in a user's
// crontab or in a cron_file (/etc/cron.d/NAME, or an absolute path), with Ansible's rules: a job is found
// by its name comment (or, unnamed, by its exact line, which then gets the comment), replaced when its
// line differs, removed with its comment; a cron_file left empty is deleted. Values are refused when
// they would break the line format (a line break anywhere, white space in a time field).
import { z } from 'zod'
import { PghaError } from '../errors.js'
import { crontabFact, fileFact } from '../facts/index.js'
import { commandLine, shq, singleLine } from '../shell/index.js'
import { cronField } from '../shell/line-formats.js'
import { defineModule, type Change } from './types.js'
import { bool } from './lib/params.js'
import { diffText } from './lib/file-plan.js'
import { accountNameParam, hostPathParam, isFileName, singleLineParam } from './lib/value-kinds.js'
import { editRead } from './lib/text-edit.js'

const SPECIAL = ['reboot', 'yearly', 'annually', 'monthly', 'weekly', 'daily', 'hourly'] as const
const TIME = ['minute', 'hour', 'day', 'month', 'weekday'] as const
const timeField = (what: string) => z.union([z.string(), z.number().transform(String)]).default('*').describe(`The ${what} field ("*" by default).`)

const params = z
  .object({
    name: singleLineParam().describe('The job\'s name (its "#Ansible: NAME" comment), or the variable\'s name with env=yes.'),
    user: accountNameParam().optional().describe("Whose crontab; the task's user when absent. Required with cron_file."),
    job: singleLineParam().optional().describe('The command to run, or the variable\'s value with env=yes (alias: value). Required with state=present.'),
    cron_file: hostPathParam().optional().describe('A file in /etc/cron.d (or an absolute path) instead of the user\'s crontab.'),
    state: z.enum(['present', 'absent']).default('present').describe('Whether the job or variable should be there.'),
    backup: bool(false, 'Keep a copy of the crontab before changing it (backup_file in the result).'),
    minute: timeField('minute'),
    hour: timeField('hour'),
    day: timeField('day of the month (alias: dom)'),
    month: timeField('month'),
    weekday: timeField('day of the week (alias: dow)'),
    special_time: z.enum(SPECIAL).optional().describe('@reboot, @daily, ... instead of the time fields.'),
    disabled: bool(false, 'Write the job commented out.'),
    env: bool(false, 'Manage an environment variable NAME="job" instead of a job.'),
    insertafter: z.string().optional().describe('With env=yes: put a new variable after this variable.'),
    insertbefore: z.string().optional().describe('With env=yes: put a new variable before this variable.'),
  })
  .strict()
  .refine((p) => p.insertafter === undefined || p.insertbefore === undefined, { message: 'insertafter and insertbefore are mutually exclusive' })
  .refine((p) => p.cron_file === undefined || p.cron_file.startsWith('/') || isFileName(p.cron_file) === undefined, { message: 'a relative cron_file is a file name in /etc/cron.d: it cannot hold "/" or be "." or ".."', path: ['cron_file'] })
  .refine((p) => p.cron_file !== '/etc/crontab', { message: 'Will not manage /etc/crontab via cron_file, see documentation.', path: ['cron_file'] })
  .refine((p) => !p.special_time || TIME.every((k) => p[k] === '*'), { message: 'You must specify time and date fields or special time.' })
  .refine((p) => p.state === 'absent' || !p.cron_file || p.user !== undefined, { message: 'To use cron_file=... parameter you must specify user=... as well', path: ['user'] })
  .refine((p) => p.state === 'absent' || p.job !== undefined, { message: "You must specify 'job' to install a new cron job or variable", path: ['job'] })
  .refine((p) => p.state === 'absent' || p.env || (p.insertafter === undefined && p.insertbefore === undefined), { message: 'Insertafter and insertbefore parameters are valid only with env=yes' })
  .refine((p) => !p.env || !p.name.includes(' '), { message: 'Invalid name for environment variable', path: ['name'] })

type Params = z.output<typeof params>

const COMMENT = '#Ansible: '

/** The job's line as Ansible's get_cron_job writes it (a cron_file line names the user). */
export function jobLine(p: Params): string {
  const job = singleLine('a crontab line', (p.job ?? '').replace(/^[\r\n]+|[\r\n]+$/g, ''))
  const user = p.cron_file ? ` ${p.user}` : ''
  const prefix = p.disabled ? '#' : ''
  if (p.special_time) return `${prefix}@${p.special_time}${user} ${job}`
  return `${prefix}${TIME.map((k) => cronField(k, p[k])).join(' ')}${user} ${job}`
}

/** Lines of the crontab after the change, and whether anything changed, as Ansible's cron main() decides. */
export function editCrontab(existing: string, p: Params): { lines: string[]; changed: boolean } {
  let lines = existing.split(/\r\n|\r|\n/)
  if (existing === '' || /(\r\n|\r|\n)$/.test(existing)) lines.pop()
  const present = p.state === 'present'
  let changed = false
  if (p.env) {
    const decl = `${p.name}="${singleLine('a crontab line', p.job ?? '')}"`
    const re = new RegExp(`^${p.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}=`)
    const at = lines.findIndex((l) => re.test(l))
    if (present && at < 0) {
      const other = p.insertafter ?? p.insertbefore
      if (other === undefined) lines.unshift(decl)
      else {
        const o = lines.findIndex((l) => new RegExp(`^${other}=`).test(l))
        if (o < 0) throw new PghaError('task', `Variable named '${other}' not found.`)
        lines.splice(p.insertafter !== undefined ? o + 1 : o, 0, decl)
      }
      changed = true
    } else if (at >= 0 && (!present || lines[at] !== decl)) {
      lines = lines.flatMap((l) => (re.test(l) ? (present ? [decl] : []) : [l]))
      changed = true
    }
  } else {
    const comment = `${COMMENT}${p.name}`
    const job = present ? jobLine(p) : ''
    const replace = (): string[] => {
      const out: string[] = []
      // Ansible's _update_job: the comment and the line under it are replaced (or dropped); a comment on
      // the last line has no job under it and is dropped.
      let pending = false
      for (const l of lines) {
        if (pending) {
          if (present) out.push(comment, job)
          pending = false
        } else if (l === comment) pending = true
        else out.push(l)
      }
      return out
    }
    const old = findJob(lines, p.name, present ? job : undefined)
    if (present) {
      if (old === undefined) {
        lines.push(comment, job)
        changed = true
      } else if (old.line !== job || old.named) {
        lines = replace()
        changed = true
      }
    } else if (old !== undefined) {
      lines = replace()
      changed = true
    }
  }
  // A crontab that does not end with a line break is rewritten, as Ansible does.
  if (!changed && existing !== '' && !/[\r\n]$/.test(existing)) changed = true
  return { lines, changed }
}

/** Ansible's find_job: the line under `#Ansible: NAME`; or an unnamed line equal to `job`, which gets the comment (named). */
function findJob(lines: string[], name: string, job: string | undefined): { line: string; named?: boolean } | undefined {
  let comment: string | undefined
  for (const l of lines) {
    if (comment !== undefined) {
      if (comment === name) return { line: l }
      comment = undefined
    } else if (l.startsWith(COMMENT)) comment = l.slice(COMMENT.length)
  }
  if (job === undefined) return undefined
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== job) continue
    const previous = i === 0 ? lines[lines.length - 1] : lines[i - 1] // lines[-1] in Python is the last line
    if (!previous?.startsWith(COMMENT)) {
      lines.splice(i, 0, `${COMMENT}${name}`)
      return { line: job, named: true }
    }
    if (name && previous === `${COMMENT}None`) {
      lines[i === 0 ? lines.length - 1 : i - 1] = `${COMMENT}${name}`
      return { line: job, named: true }
    }
  }
  return undefined
}

const render = (lines: string[]): string => {
  const text = lines.join('\n')
  return text ? `${text.replace(/[\r\n]+$/, '')}\n` : ''
}

type CronOp = { op: 'write-file'; path: string; content: string } | { op: 'remove-file'; path: string } | { op: 'crontab'; user?: string; content: string }

const cronFilePath = (f: string): string => (f.startsWith('/') ? f : `/etc/cron.d/${f}`)

export default defineModule({
  name: 'cron',
  description: "Manage a named cron job or variable in a user's crontab or a cron.d file.",
  params,
  aliases: { value: 'job', dom: 'day', dow: 'weekday' },
  reads: (p) => (p.cron_file ? [editRead(cronFilePath(p.cron_file))] : [{ def: crontabFact, args: { user: p.user } }]),
  async plan(ctx, p) {
    const path = p.cron_file ? cronFilePath(p.cron_file) : undefined
    let existing: string
    let fileExists = false
    if (path) {
      const { def, args } = editRead(path)
      const info = await ctx.fact(def, args)
      if (info.exists && info.content === undefined) throw new PghaError('task', `${path} cannot be read as text`)
      fileExists = info.exists
      existing = info.content ?? ''
    } else existing = (await ctx.fact(crontabFact, { user: p.user })) ?? ''
    const { lines, changed } = editCrontab(existing, p)
    const header = path ?? (p.user ? `crontab for user "${p.user}"` : 'crontab')
    const jobs = lines.filter((l) => l.startsWith(COMMENT)).map((l) => l.slice(COMMENT.length))
    const envs = lines.filter((l) => /^\S+=/.test(l)).map((l) => l.split('=')[0])
    const result = { jobs, envs, ...(p.cron_file ? { cron_file: p.cron_file } : {}) }
    if (!changed) return { changes: [], result }
    const after = render(lines)
    // A cron_file left without a line by removing a job is removed (a variable's removal leaves it, as in Ansible).
    if (path && p.state === 'absent' && !p.env && lines.every((l) => l.trim() === '')) {
      if (!fileExists) return { changes: [], result }
      const change: Change<CronOp> = { description: `remove ${path}`, path, before: diffText(existing), after: '', data: { op: 'remove-file', path } }
      return { changes: [change], result: { cron_file: p.cron_file, state: p.state } }
    }
    const data: CronOp = path ? { op: 'write-file', path, content: after } : { op: 'crontab', user: p.user, content: after }
    const what = p.env ? `variable ${p.name}` : `job ${p.name}`
    return { changes: [{ description: `${p.state === 'present' ? 'set' : 'remove'} cron ${what} in ${header}`, path: header, before: diffText(existing), after: diffText(after), data }], result }
  },
  async apply(ctx, p, plan) {
    const op = plan.changes[0].data
    const out: Record<string, unknown> = {}
    if (p.backup) {
      const r = await ctx.exec(`f=$(mktemp /tmp/crontabXXXXXXXX) && cat > "$f" && printf '%s' "$f"`, { stdin: plan.changes[0].before ?? '' })
      if (r.rc === 0) out.backup_file = r.stdout
    }
    if (op.op === 'write-file') await ctx.writeFile(op.path, op.content)
    else {
      const command = op.op === 'remove-file' ? `rm -f -- ${shq(op.path)}` : commandLine('crontab', [op.user !== undefined && ['-u', op.user]], ['-'])
      const r = await ctx.exec(command, op.op === 'crontab' ? { stdin: op.content } : {})
      if (r.rc !== 0) throw new PghaError('task', `${command}: ${(r.stderr || r.stdout).trim()}`)
    }
    ctx.invalidate(crontabFact)
    ctx.invalidate(fileFact)
    if (op.op !== 'crontab') ctx.invalidate(editRead(op.path).def)
    return out
  },
})
