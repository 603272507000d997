// The controller as Ansible users reach it, run by ansible-playbook and by pgha on the same files: the
// implicit localhost (a play on `localhost` or `127.0.0.1`, `delegate_to: localhost`, none of them in the
// inventory), which no group and no `*` selects; a host list given to -i (`-i 'zz,aa:2222,mm,'`); and -c,
// which a play's `connection:` overrides. The debug messages, host by host in order, must agree.
// Runs where ansible-playbook is installed (CI installs Debian's ansible-core).
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { EngineEvent } from '../../src/engine/index.js'
import { ansibleDebugMessages, ansibleInstalled, ansiblePlaybook, tempDir } from './ansible-oracle.js'
import { run } from './harness.js'

/** `host msg` of every `ok: [host] => {` result ansible-playbook's default output shows, in order. */
const ansibleMessages = (stdout: string): string[] => ansibleDebugMessages(stdout).map((m) => `${m.host} ${String(m.msg)}`)

const pghaMessages = (events: EngineEvent[]): string[] =>
  events.flatMap((e) => (e.type === 'host:result' && typeof e.result.msg === 'string' && e.task.startsWith('debug') ? [`${e.host} ${e.result.msg}`] : []))

const IMPLICIT = `- hosts: all
  gather_facts: false
  tasks:
    - debug: { msg: "{{ inventory_hostname }} {{ group_names }} {{ groups }}" }
    - command: echo from-the-controller
      delegate_to: localhost
      register: out
      changed_when: false
    - debug: { msg: "{{ out.stdout }}" }
- hosts: localhost
  gather_facts: false
  tasks:
    - debug: { msg: "{{ inventory_hostname }} {{ ansible_connection }} {{ group_names }} {{ x }} {{ w }} {{ y | default('no group var') }}" }
- hosts: "*"
  gather_facts: false
  tasks:
    - debug: { msg: "star" }
- hosts: all:localhost
  gather_facts: false
  tasks:
    - debug: { msg: "all and localhost" }
- hosts: 127.0.0.1
  gather_facts: false
  tasks:
    - debug: { msg: "{{ inventory_hostname }}" }
`

const HOST_LIST = `- hosts: all
  gather_facts: false
  tasks:
    - debug: { msg: "{{ inventory_hostname }} {{ ansible_port | default('no port') }} {{ group_names }} {{ groups }}" }
    - command: echo ran here
      register: out
      changed_when: false
    - debug: { msg: "{{ out.stdout }}" }
`

describe.skipIf(!ansibleInstalled)('the controller and host lists, as ansible-playbook runs them', () => {
  it('runs plays and delegated tasks on the implicit localhost, which no group and no * selects', async () => {
    const dir = tempDir('pgha-implicit-localhost')
    const playbook = join(dir, 'play.yml')
    const inventory = join(dir, 'hosts.ini')
    writeFileSync(playbook, IMPLICIT)
    writeFileSync(inventory, '[g]\nh1 ansible_connection=local\n[all:vars]\nx=from-all\n[g:vars]\ny=from-g\n')
    mkdirSync(join(dir, 'host_vars'))
    writeFileSync(join(dir, 'host_vars', 'localhost.yml'), 'w: from-host-vars\n')
    // One host at a time, so both show results in inventory order.
    const r = ansiblePlaybook(['-i', inventory, '-f', '1', playbook], dir, { cwd: dir })
    expect(r.status, r.stdout + r.stderr).toBe(0)
    const theirs = ansibleMessages(r.stdout)
    expect(theirs).toEqual([
      "h1 h1 ['g'] {'all': ['h1'], 'ungrouped': [], 'g': ['h1']}",
      'h1 from-the-controller',
      "localhost localhost local [] from-all from-host-vars no group var",
      'h1 star',
      'h1 all and localhost', 'localhost all and localhost',
      'localhost localhost',
    ])
    const mine = await run({ playbook, inventory, forks: 1 })
    expect(mine.exitCode).toBe(0)
    expect(pghaMessages(mine.events)).toEqual(theirs)
  }, 300_000)

  it('takes -i as a host list when it names no file and has a comma, and -c local runs its tasks on the controller', async () => {
    const dir = tempDir('pgha-host-list')
    const playbook = join(dir, 'play.yml')
    writeFileSync(playbook, HOST_LIST)
    const hosts = 'zz,aa:2222, mm,'
    const ran = ansiblePlaybook(['-i', hosts, '-c', 'local', '-f', '1', playbook], dir, { cwd: dir })
    expect(ran.status, ran.stdout + ran.stderr).toBe(0)
    const theirs = ansibleMessages(ran.stdout)
    const groups = "{'all': ['zz', 'aa', 'mm'], 'ungrouped': ['zz', 'aa', 'mm']}"
    expect(theirs).toEqual([
      `zz zz no port ['ungrouped'] ${groups}`, `aa aa 2222 ['ungrouped'] ${groups}`, `mm mm no port ['ungrouped'] ${groups}`,
      'zz ran here', 'aa ran here', 'mm ran here',
    ])
    const mine = await run({ playbook, inventory: hosts, connection: 'local', forks: 1 })
    expect(mine.exitCode).toBe(0)
    expect(pghaMessages(mine.events)).toEqual(theirs)
  }, 300_000)
})
