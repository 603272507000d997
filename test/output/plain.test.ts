import { describe, expect, it } from 'vitest'
import { createReporter } from '../../src/output/index.js'
import type { EngineEvent } from '../../src/engine/events.js'
import { SECRET, events, options, recapLines } from './fixture.js'

async function runPlain(over: Parameters<typeof options>[0] = {}, list: EngineEvent[] = events()) {
  const o = options(over)
  const r = await createReporter('plain', o)
  for (const e of list) r.onEvent(e)
  await r.finish()
  return { out: o.out.text(), err: o.err.text() }
}

const stars = (title: string): string => `${title} ${'*'.repeat(79 - title.length)}`

describe('plain reporter', () => {
  it('prints Ansible-like lines, a diff, failures with rc and stderr, and the recap', async () => {
    const { out, err } = await runPlain()
    expect(out).toBe(
      [
        '',
        stars('PLAY [Prepare hosts]'),
        '',
        stars('TASK [install packages]'),
        'changed: [node1] => (item=flex)',
        'ok: [node1] => (item=pam-devel)',
        'ok: [node2] => (item=flex)',
        'ok: [node2] => (item=pam-devel)',
        'fatal: [witness1]: UNREACHABLE! => connect to witness1 (10.0.0.13:22): connection refused',
        '',
        stars('TASK [write sudoers]'),
        '--- before: /etc/sudoers.d/postgres',
        '+++ after: /etc/sudoers.d/postgres',
        '@@ -1,2 +1,3 @@',
        ' Defaults !requiretty',
        ' postgres ALL=(ALL) NOPASSWD: /bin/systemctl start postgresql',
        '+postgres ALL=(ALL) NOPASSWD: /bin/systemctl stop postgresql',
        'changed: [node1]',
        'ok: [node2]',
        '',
        stars('TASK [check replication user]'),
        'ok: [node1]',
        'fatal: [node2]: FAILED! => non-zero return code (rc=2)',
        '    psql: error: connection to server failed',
        '    FATAL:  password authentication failed for user "repmgr" (********)',
        '',
        stars('TASK [remove old backups]'),
        'fatal: [node1]: FAILED! => non-zero return code (rc=1)',
        '    rm: cannot remove /backup/old: Permission denied',
        '...ignoring',
        '',
        stars('PLAY [Standby]'),
        '',
        stars('TASK [clone standby]'),
        'skipping: [node1]',
        '',
        stars('RUNNING HANDLER [restart postgresql]'),
        'changed: [node1]',
        '',
        stars('PLAY RECAP'),
        ...recapLines,
        '',
      ].join('\n'),
    )
    expect(err).toBe('[WARNING]: [node2] node2 failed; the play goes on without it\n')
  })

  it('never prints a secret, even at -v where stdout and messages show', async () => {
    const { out, err } = await runPlain({ verbosity: 2 })
    expect(out + err).not.toContain(SECRET)
    expect(out).toContain('********')
    // The same run without the scrubber would leak it: the assertion above is not vacuous.
    const raw = await runPlain({ verbosity: 2, scrub: (t) => t })
    expect(raw.out).toContain(SECRET)
  })

  it('shows no diff without --diff, and planned changes and durations with -v', async () => {
    const quiet = await runPlain({ diff: false })
    expect(quiet.out).not.toContain('--- before:')
    expect(quiet.out).not.toContain('write /etc/sudoers.d/postgres')
    const verbose = await runPlain({ diff: false, verbosity: 1 })
    expect(verbose.out).toContain('changed: [node1] (0.04s)\n  - write /etc/sudoers.d/postgres\n')
    expect(verbose.out).toContain('fatal: [witness1]: UNREACHABLE! => connect to witness1 (10.0.0.13:22): connection refused (10.00s)\n')
    expect(verbose.out).toContain('ok: [node2] => (item=pam-devel) (0.82s)\n')
  })

  it('follows a task\'s diff keyword over --diff, either way', async () => {
    const withKeyword = (diff: boolean): EngineEvent[] => events().map((e) => (e.type === 'host:result' && e.result.diff ? { ...e, diff } : e))
    expect((await runPlain({ diff: false }, withKeyword(true))).out).toContain('--- before: /etc/sudoers.d/postgres')
    expect((await runPlain({ diff: true }, withKeyword(false))).out).not.toContain('--- before:')
  })

  it('lists planned changes in check mode and says nothing was changed', async () => {
    const list = events().map((e) => (e.type === 'run:start' ? { ...e, check: true } : e))
    const { out } = await runPlain({ diff: false, check: true }, list)
    expect(out).toContain('changed: [node1]\n  - write /etc/sudoers.d/postgres\n')
    expect(out).toMatch(/\nelapsed 14\.57s \(check mode: nothing was changed\)\n$/)
  })

  it('shows debug messages without -v, multi-line ones indented', async () => {
    const list: EngineEvent[] = [
      { type: 'play:start', name: 'Status', hosts: ['node1'] },
      { type: 'task:start', name: 'show cluster', hosts: ['node1'], module: 'debug' },
      { type: 'host:result', task: 'show cluster', host: 'node1', status: 'ok', durationMs: 0, result: { changed: false, failed: false, msg: ' ID | Name\n 1  | node1\n' } },
      { type: 'task:start', name: 'ping', hosts: ['node1'], module: 'ping' },
      { type: 'host:result', task: 'ping', host: 'node1', status: 'ok', durationMs: 0, result: { changed: false, failed: false, msg: 'pong' } },
    ]
    const { out } = await runPlain({}, list)
    expect(out).toContain('ok: [node1] =>\n     ID | Name\n     1  | node1\n')
    expect(out).toContain('TASK [ping] ****')
    expect(out).not.toContain('pong')
  })

  it('colors status lines only when asked', async () => {
    const colored = await runPlain({ color: true })
    expect(colored.out).toContain('\u001b[33mchanged: [node1]\u001b[39m')
    expect(colored.out).toContain('\u001b[31mfatal: [node2]: FAILED! => non-zero return code (rc=2)\u001b[39m')
    const plain = await runPlain({ color: false })
    expect(plain.out).not.toContain('\u001b[')
  })

  it('still ends with the recap and elapsed time when the run stops without run:end', async () => {
    const { out } = await runPlain({}, events({ end: false }))
    expect(out).toContain('node2    : ok=2 changed=0 unreachable=0 failed=1 skipped=0 rescued=0 ignored=0\n')
    expect(out).toMatch(/\nelapsed \d+\.\d\ds\n$/)
  })

  it('says when the run was interrupted', async () => {
    const list = events().map((e) => (e.type === 'run:end' ? { ...e, interrupted: true } : e))
    const { out } = await runPlain({}, list)
    expect(out).toContain('\nrun interrupted: the recap covers what finished\n')
  })

  it("prints a failure's message whole, every line, before the end of its stderr", async () => {
    const list: EngineEvent[] = [
      { type: 'play:start', name: 'p', hosts: ['node1'] },
      { type: 'task:start', name: 'verify', hosts: ['node1'], module: 'command' },
      {
        type: 'host:result', task: 'verify', host: 'node1', status: 'failed', durationMs: 10,
        result: { changed: false, failed: true, rc: 1, msg: 'split brain: node1 and node2 run as primary\nrejoin node1 with: npx pgha run playbooks/rejoin.yml -e node=node1', stderr: 'ERROR: two primaries' },
      },
    ]
    const { out } = await runPlain({}, list)
    expect(out).toContain([
      'fatal: [node1]: FAILED! => split brain: node1 and node2 run as primary (rc=1)',
      '    rejoin node1 with: npx pgha run playbooks/rejoin.yml -e node=node1',
      '    ERROR: two primaries',
    ].join('\n'))
  })
})
