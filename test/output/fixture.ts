// A realistic event sequence shared by the reporter tests: three hosts, a loop, a file diff, a secret in
// stdout/stderr, a failure with rc and stderr, an unreachable host, an ignored failure, a skipped task,
// a handler and a warning. Plus a memory stream to write to.
import { Writable } from 'node:stream'
import type { EngineEvent } from '../../src/engine/events.js'
import type { ReporterOptions } from '../../src/output/index.js'

export const SECRET = 'S3cr3t!pw'
export const scrub = (s: string): string => s.split(SECRET).join('********')

export interface MemoryStream {
  stream: NodeJS.WritableStream
  text(): string
}

export function memoryStream(tty?: { columns: number }): MemoryStream {
  const chunks: string[] = []
  const stream = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      chunks.push(String(chunk))
      done()
    },
  })
  if (tty) Object.assign(stream, { isTTY: true, columns: tty.columns, rows: 40 })
  return { stream, text: () => chunks.join('') }
}

export function options(over: Partial<ReporterOptions> = {}): ReporterOptions & { out: MemoryStream; err: MemoryStream } {
  const out = memoryStream()
  const err = memoryStream()
  return { verbosity: 0, diff: true, check: false, color: false, scrub, stream: out.stream, errStream: err.stream, out, err, ...over }
}

const sudoersBefore = 'Defaults !requiretty\npostgres ALL=(ALL) NOPASSWD: /bin/systemctl start postgresql\n'
const sudoersAfter = 'Defaults !requiretty\npostgres ALL=(ALL) NOPASSWD: /bin/systemctl start postgresql\npostgres ALL=(ALL) NOPASSWD: /bin/systemctl stop postgresql\n'

export const recap = {
  node1: { ok: 5, changed: 3, unreachable: 0, failed: 0, skipped: 1, ignored: 1 },
  node2: { ok: 2, changed: 0, unreachable: 0, failed: 1, skipped: 0, ignored: 0 },
  witness1: { ok: 0, changed: 0, unreachable: 1, failed: 0, skipped: 0, ignored: 0 },
}

/** The PLAY RECAP lines every human-readable reporter ends with for `events()`. */
export const recapLines = [
  'node1    : ok=5 changed=3 unreachable=0 failed=0 skipped=1 rescued=0 ignored=1',
  'node2    : ok=2 changed=0 unreachable=0 failed=1 skipped=0 rescued=0 ignored=0',
  'witness1 : ok=0 changed=0 unreachable=1 failed=0 skipped=0 rescued=0 ignored=0',
  '',
  'elapsed 14.57s',
]

const hosts = ['node1', 'node2', 'witness1']

export function events(opts: { end?: boolean } = {}): EngineEvent[] {
  const list: EngineEvent[] = [
    { type: 'run:start', playbook: 'playbooks/site.yml', check: false, hosts },
    { type: 'play:start', name: 'Prepare hosts', hosts },
    { type: 'task:start', name: 'install packages', hosts, module: 'package' },
    {
      type: 'host:result', task: 'install packages', host: 'node1', status: 'changed', durationMs: 1520,
      result: {
        changed: true, failed: false, msg: 'All items completed',
        results: [
          { changed: true, failed: false, item: 'flex', _label: 'flex' },
          { changed: false, failed: false, item: 'pam-devel', _label: 'pam-devel' },
        ],
      },
    },
    {
      type: 'host:result', task: 'install packages', host: 'node2', status: 'ok', durationMs: 820,
      result: { changed: false, failed: false, results: [{ changed: false, failed: false, item: 'flex' }, { changed: false, failed: false, item: 'pam-devel' }] },
    },
    {
      type: 'host:result', task: 'install packages', host: 'witness1', status: 'unreachable', durationMs: 10_003,
      result: { changed: false, failed: false, unreachable: true, msg: 'connect to witness1 (10.0.0.13:22): connection refused' },
    },
    { type: 'task:end', name: 'install packages' },
    { type: 'task:start', name: 'write sudoers', hosts: ['node1', 'node2'], module: 'copy' },
    {
      type: 'host:result', task: 'write sudoers', host: 'node1', status: 'changed', durationMs: 40,
      changes: ['write /etc/sudoers.d/postgres'],
      result: { changed: true, failed: false, diff: [{ path: '/etc/sudoers.d/postgres', before: sudoersBefore, after: sudoersAfter }] },
    },
    { type: 'host:result', task: 'write sudoers', host: 'node2', status: 'ok', durationMs: 35, result: { changed: false, failed: false } },
    { type: 'task:end', name: 'write sudoers' },
    { type: 'task:start', name: 'check replication user', hosts: ['node1', 'node2'], module: 'command' },
    {
      type: 'host:result', task: 'check replication user', host: 'node1', status: 'ok', durationMs: 12,
      result: { changed: false, failed: false, rc: 0, stdout: `conninfo password=${SECRET} user=repmgr`, stderr: '' },
    },
    {
      type: 'host:result', task: 'check replication user', host: 'node2', status: 'failed', durationMs: 15,
      result: {
        changed: false, failed: true, rc: 2, msg: 'non-zero return code',
        stdout: `trying password ${SECRET}`,
        stderr: `psql: error: connection to server failed\nFATAL:  password authentication failed for user "repmgr" (${SECRET})`,
      },
    },
    { type: 'task:end', name: 'check replication user' },
    { type: 'warning', message: 'node2 failed; the play goes on without it', host: 'node2' },
    { type: 'task:start', name: 'remove old backups', hosts: ['node1'], module: 'shell' },
    {
      type: 'host:result', task: 'remove old backups', host: 'node1', status: 'ignored', durationMs: 8,
      result: { changed: false, failed: true, rc: 1, msg: 'non-zero return code', stderr: 'rm: cannot remove /backup/old: Permission denied' },
    },
    { type: 'task:end', name: 'remove old backups' },
    { type: 'play:end', name: 'Prepare hosts' },
    { type: 'play:start', name: 'Standby', hosts: ['node1'] },
    { type: 'task:start', name: 'clone standby', hosts: ['node1'], module: 'command' },
    {
      type: 'host:result', task: 'clone standby', host: 'node1', status: 'skipped', durationMs: 1,
      result: { changed: false, failed: false, skipped: true, skip_reason: 'Conditional result was False' },
    },
    { type: 'task:end', name: 'clone standby' },
    { type: 'task:start', name: 'restart postgresql', hosts: ['node1'], handler: true, module: 'service' },
    { type: 'host:result', task: 'restart postgresql', host: 'node1', status: 'changed', durationMs: 2100, result: { changed: true, failed: false } },
    { type: 'task:end', name: 'restart postgresql' },
    { type: 'play:end', name: 'Standby' },
  ]
  if (opts.end !== false) list.push({ type: 'run:end', recap, elapsedMs: 14_567, interrupted: false })
  return list
}
