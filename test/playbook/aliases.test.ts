// Ansible's parameter aliases, as real roles write them: `dest`/`name` for path, `regex`, `value`, the
// postgresql login_* names. They load as the parameter they name; a parameter given under two of its
// names is refused at load time with its position, never silently picked from.
import { describe, expect, it } from 'vitest'
import type { Playbook } from '../../src/playbook/index.js'
import { load as loadText, problems as problemsOf } from './load-text.js'

const play = (tasks: string): string => `- hosts: all\n  tasks:\n${tasks}`
const load = (tasks: string): Playbook => loadText(play(tasks))
const problems = (tasks: string): string[] => problemsOf(play(tasks))

const argsOf = (p: Playbook, i = 0): Record<string, unknown> => {
  const task = p.plays[0].tasks[i] as { args: Record<string, unknown> }
  return task.args
}

describe('parameter aliases', () => {
  it('loads lineinfile with dest, regex and value as path, regexp and line', () => {
    const p = load(`    - lineinfile: { dest: /etc/hosts, regex: '^127', value: '127.0.0.1 localhost' }\n`)
    expect(argsOf(p)).toEqual({ path: '/etc/hosts', regexp: '^127', line: '127.0.0.1 localhost' })
  })

  it('reads an alias in key=value text', () => {
    expect(argsOf(load(`    - file: name=/srv/x state=directory\n`))).toEqual({ path: '/srv/x', state: 'directory' })
  })

  it('takes the community.postgresql connection aliases', () => {
    const p = load(`    - community.postgresql.postgresql_user: { user: app, login: postgres, login_port: 5433, login_db: app }\n`)
    expect(argsOf(p)).toEqual({ name: 'app', login_user: 'postgres', port: 5433, db: 'app' })
  })

  it('refuses a parameter given under its name and an alias, at the alias', () => {
    expect(problems(`    - file: { path: /a, dest: /b, state: touch }\n`)).toEqual([
      "3:25: module 'file' was given 'path' more than once, as 'path' and 'dest' (aliases of one parameter); give one",
    ])
  })

  it('points a bad value at the alias the task wrote', () => {
    expect(problems(`    - file: { dest: /a, state: nope }\n`)[0]).toMatch(/^3:32: parameter 'state' of module 'file'/)
    expect(problems(`    - stat: { checksum: md6, name: /a }\n`)[0]).toMatch(/^3:25: parameter 'checksum_algorithm' of module 'stat'/)
  })

  it('gives the service module no unit alias (only systemd has it)', () => {
    expect(problems(`    - service: { unit: cron }\n`)[0]).toMatch(/module 'service' has no parameter 'unit'/)
    expect(argsOf(load(`    - systemd: { unit: cron }\n`))).toEqual({ name: 'cron' })
  })
})
