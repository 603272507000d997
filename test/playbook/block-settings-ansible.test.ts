// The settings a block or an import_tasks gives (ignore_errors, no_log, run_once) reach the tasks inside, as
// in Ansible: they read false when nothing sets them, and an enclosing scope's true must still reach them.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadPlaybook, type Block, type Task } from '../../src/playbook/index.js'
import { ansibleDebugMessages, ansibleInstalled, ansiblePlaybook } from '../engine/ansible-oracle.js'
import { localHosts, project } from '../engine/harness.js'
import { registry } from './load-text.js'

const FILES = {
  'fails.yml': '- fail: msg=failing\n',
  'site.yml': `- hosts: all
  gather_facts: false
  tasks:
    - block:
        - fail: msg=failing
      ignore_errors: true
    - import_tasks: fails.yml
      ignore_errors: true
    - block:
        - debug: msg=SECRET-VALUE
      no_log: true
    - block:
        - block:
            - debug: msg=shown
          no_log: false
      no_log: true
    - block:
        - debug: msg=once
      run_once: true
    - debug: msg=end
`,
}

describe('settings of a block or an import_tasks', () => {
  it('reach the tasks inside, an inner block keeping its own', () => {
    const p = project(localHosts(['h1', 'h2']), FILES)
    const [failing, imported, secret, outer, once] = loadPlaybook(join(p.dir, 'site.yml'), registry).plays[0].tasks
    expect((failing as Block).block[0]).toMatchObject({ ignoreErrors: true })
    expect(imported).toMatchObject({ ignoreErrors: true })
    expect((secret as Block).block[0]).toMatchObject({ noLog: true })
    expect(((outer as Block).block[0] as Block).block[0]).toMatchObject({ noLog: false })
    expect((once as Block).block[0] as Task).toMatchObject({ runOnce: true })
  })

  it.skipIf(!ansibleInstalled)('as a run of ansible-playbook shows: failures ignored, the secret hidden, one host for run_once', async () => {
    const p = project(localHosts(['h1', 'h2']), FILES)
    const theirs = ansiblePlaybook(['-i', 'inventory.ini', 'site.yml'], p.dir, { cwd: p.dir })
    const mine = await p.run()
    expect(theirs.status, theirs.stdout).toBe(0)
    expect(mine.exitCode).toBe(0)
    const shown = mine.events.flatMap((e) => (e.type === 'host:result' && typeof e.result.msg === 'string' && e.result.msg !== 'failing' ? [`${e.host} ${e.result.msg}`] : []))
    // hosts finish a task in either order: compared as sets of host and message
    expect(shown.sort()).toEqual(ansibleDebugMessages(theirs.stdout).filter((m) => typeof m.msg === 'string').map((m) => `${m.host} ${String(m.msg)}`).sort())
    expect(shown).toContain('h1 once')
    expect(shown).not.toContain('h2 once')
    expect(JSON.stringify(mine.events)).not.toContain('SECRET-VALUE')
    expect(theirs.stdout).not.toContain('SECRET-VALUE')
  }, 120_000)
})
