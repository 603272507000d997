// Where each secret lands in `pgha run -o json --diff -vvv` of the fixture playbook, channel by channel:
// what the field must be when the values are marked secret (********) and in the control (the value).
import { MASK } from '../../src/secrets/index.js'
import type { Secrets } from './project.js'

type Result = Record<string, unknown> & { diff?: { before: string; after: string }[]; results?: Record<string, unknown>[] }
export interface JsonDoc {
  plays: { tasks: { name: string; hosts: Record<string, { result: Result }> }[] }[]
}

export interface ChannelCheck {
  channel: string
  actual: (doc: JsonDoc) => unknown
  expected: unknown
  /** How many secrets the check covers. */
  secrets: number
}

const CENSORED = "the output has been hidden due to the fact that 'no_log: true' was specified for this result"

function result(doc: JsonDoc, task: string | RegExp): Result {
  const t = doc.plays.flatMap((p) => p.tasks).find((x) => (typeof task === 'string' ? x.name === task : task.test(x.name)))
  if (!t) throw new Error(`no task ${String(task)} in ${doc.plays.flatMap((p) => p.tasks).map((x) => x.name).join(', ')}`)
  return t.hosts.hostA.result
}

export function channelChecks(s: Secrets, marked: boolean): ChannelCheck[] {
  const show = (v: string): string => (marked ? MASK : v)
  const values = [s.db, s.token, s.repl, s.become].map(show)
  const all = values.join(' ')
  const four = (channel: string, actual: (doc: JsonDoc) => unknown, expected: unknown): ChannelCheck => ({ channel, actual, expected, secrets: 4 })
  const one = (channel: string, actual: (doc: JsonDoc) => unknown, expected: unknown): ChannelCheck => ({ channel, actual, expected, secrets: 1 })
  const hidden = show(s.noLog)
  return [
    four('command stdout', (d) => result(d, 'stdout and stderr').stdout, values.join('\n')),
    four('command stderr', (d) => result(d, 'stdout and stderr').stderr, values.join('\n')),
    four('failing command output', (d) => result(d, 'failing command').stdout, all),
    four('failing command argv', (d) => result(d, 'failing command').cmd, ['sh', '-c', `echo ${all}; exit 3`]),
    four('copy diff before', (d) => result(d, 'copy diff').diff?.[0].before, `before ${all}\n`),
    four('copy diff after', (d) => result(d, 'copy diff').diff?.[0].after, `after ${all}\n`),
    four('template diff', (d) => result(d, 'template diff').diff?.[0].after, `templated ${all}\n`),
    four('lineinfile diff', (d) => result(d, 'lineinfile diff').diff?.[0].after, `after ${all}\nadded ${all}\n`),
    four('debug msg', (d) => result(d, 'debug msg').msg, `msg ${all}`),
    four('registered then printed', (d) => result(d, 'registered printed')['echoed.stdout'], all),
    four('assert fail_msg', (d) => result(d, 'assert message').msg, `assert ${all}`),
    four('loop item labels', (d) => result(d, 'loop label').results?.map((r) => r._label), values),
    four('transport (validate) error', (d) => result(d, 'transport error').msg,
      expect_(`file left unchanged: validated ${all}`)),
    four('template error', (d) => result(d, 'template error').msg, expect_(`no host '${all}' in the inventory`)),
    one('no_log task output', (d) => result(d, 'no_log task').stdout ?? result(d, 'no_log task').censored, marked ? CENSORED : s.noLog),
    one('no_log failing command', (d) => result(d, 'no_log failing').stdout ?? result(d, 'no_log failing').censored, marked ? CENSORED : s.noLog),
    one('unnamed no_log task title', (d) => d.plays[0].tasks.some((t) => t.name.includes(s.noLog)), !marked),
    one('no_log copy diff', (d) => result(d, marked ? 'copy' : /^copy: /).diff?.[0].after ?? result(d, 'copy').censored, marked ? CENSORED : `${s.noLog}\n`),
    one('no_log result registered then printed', (d) => result(d, 'no_log result printed')['hidden.stdout'], hidden),
  ]
}

/** A matcher for text containing `part` (toEqual accepts asymmetric matchers). */
function expect_(part: string): unknown {
  return { asymmetricMatch: (v: unknown) => typeof v === 'string' && v.includes(part), toString: () => `a string containing ${part}` }
}
