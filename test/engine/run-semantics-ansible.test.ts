// Behaviours run by ansible-playbook and by pgha on the same local hosts, the outcomes compared: `until`
// tested on a failed result (retrying stops at once, the task fails), a play variable defined from a task's
// loop_var (rendered per item), a handler whose module arguments are wrong (checked only if it runs), an include whose file is not there (the host that reaches it fails, the
// other goes on) and one of a file with a module neither has (the run stops, Ansible's ERROR!), and forms
// public roles use: a block's notify, a templated notify, include_tasks' apply, set_fact with templated names. Runs where
// ansible-playbook is installed (CI installs it).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { EngineEvent } from '../../src/engine/index.js'
import { ansibleInstalled, ansiblePlaybook, tempDir } from './ansible-oracle.js'
import { run } from './harness.js'

/** Per host, `failed` of ansible-playbook's PLAY RECAP. */
function ansibleFailed(stdout: string): Record<string, number> {
  return Object.fromEntries([...stdout.matchAll(/^(\S+)\s+: ok=\d+\s+changed=\d+\s+unreachable=\d+\s+failed=(\d+)/gm)].map((m) => [m[1], Number(m[2])]))
}

/** The msgs ansible-playbook's default output shows for `debug` on host h1, in order (per item too). */
function ansibleMsgs(stdout: string): string[] {
  return [...stdout.matchAll(/^\s+"msg": (".*")$/gm)].map((m) => JSON.parse(m[1]) as string)
}

/**
 * The msgs pgha's results carry (of the task named `task`, else every string msg), once ansible-playbook
 * succeeded and printed the same ones.
 */
function sameMsgs(theirs: ReturnType<typeof ansiblePlaybook>, mine: Awaited<ReturnType<typeof run>>, task?: string): string[] {
  expect(theirs.status, theirs.stdout + theirs.stderr).toBe(0)
  const msgs = (mine.events as EngineEvent[]).flatMap((e) => {
    if (e.type !== 'host:result' || (task !== undefined && e.task !== task)) return []
    return task !== undefined || typeof e.result.msg === 'string' ? [String(e.result.msg)] : []
  })
  expect(msgs).toEqual(ansibleMsgs(theirs.stdout))
  return msgs
}

async function both(play: string, hosts = ['h1'], files: Record<string, string> = {}): Promise<{ dir: string; theirs: ReturnType<typeof ansiblePlaybook>; mine: Awaited<ReturnType<typeof run>>; count: () => number }> {
  const dir = tempDir('pgha-run-semantics')
  const playbook = join(dir, 'play.yml')
  const inventory = join(dir, 'hosts.ini')
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true })
    writeFileSync(join(dir, name), text)
  }
  writeFileSync(playbook, play.replaceAll('DIR', dir))
  writeFileSync(inventory, hosts.map((h) => `${h} ansible_connection=local ansible_python_interpreter=/usr/bin/python3`).join('\n') + '\n')
  const count = (): number => {
    try {
      return readFileSync(join(dir, 'count'), 'utf8').split('\n').length - 1
    } catch {
      return 0
    }
  }
  const theirs = ansiblePlaybook(['-i', inventory, playbook], dir, { cwd: dir })
  return { dir, theirs, mine: await run({ playbook, inventory }), count }
}

describe.skipIf(!ansibleInstalled)('run-time semantics as ansible-playbook has them', () => {
  it('until is tested on a failed result: when it holds, one attempt, and the task fails', async () => {
    const { theirs, mine, count } = await both(`- hosts: all
  gather_facts: false
  tasks:
    - shell: "echo x >> DIR/count; false"
      register: r
      until: r is failed
      retries: 3
      delay: 0
`)
    expect(ansibleFailed(theirs.stdout)).toEqual({ h1: 1 })
    expect(mine.recap.h1.failed).toBe(1)
    // One line from each tool: one attempt each.
    expect(count()).toBe(2)
  }, 300_000)

  it('a play variable defined from the task\'s loop_var renders per item', async () => {
    const { theirs, mine } = await both(`- hosts: all
  gather_facts: false
  vars:
    line: "{{ user }} done"
  tasks:
    - debug: { msg: "{{ line }}" }
      loop: [ann, bob]
      loop_control: { loop_var: user }
`)
    expect(theirs.status, theirs.stdout + theirs.stderr).toBe(0)
    const msgs = (mine.events as EngineEvent[]).flatMap((e) => (e.type === 'host:result' && e.result.results ? (e.result.results as { msg: string }[]).map((x) => x.msg) : []))
    expect(msgs).toEqual(ansibleMsgs(theirs.stdout))
    expect(msgs).toEqual(['ann done', 'bob done'])
  }, 300_000)

  it('an include whose task file is not there fails the host that reaches it; the other goes on', async () => {
    const { theirs, mine } = await both(`- hosts: all
  gather_facts: false
  tasks:
    - include_tasks: "{{ inventory_hostname }}-tasks.yml"
      when: inventory_hostname == 'h1'
    - debug: { msg: "after on {{ inventory_hostname }}" }
`, ['h1', 'h2'])
    expect(ansibleFailed(theirs.stdout)).toEqual({ h1: 1, h2: 0 })
    expect({ h1: mine.recap.h1.failed, h2: mine.recap.h2.failed }).toEqual({ h1: 1, h2: 0 })
    const after = (mine.events as EngineEvent[]).flatMap((e) => (e.type === 'host:result' && String(e.result.msg ?? '').startsWith('after') ? [String(e.result.msg)] : []))
    expect(after).toEqual(ansibleMsgs(theirs.stdout))
    expect(after).toEqual(['after on h2'])
  }, 300_000)

  it('an include of a file with a module neither tool has stops the whole run when a host reaches it', async () => {
    const dir = tempDir('pgha-run-semantics')
    const playbook = join(dir, 'play.yml')
    const inventory = join(dir, 'hosts.ini')
    writeFileSync(playbook, `- hosts: all
  gather_facts: false
  tasks:
    - include_tasks: other-os.yml
      when: inventory_hostname == 'h1'
    - debug: { msg: "after on {{ inventory_hostname }}" }
`)
    writeFileSync(join(dir, 'other-os.yml'), '- name: a module neither tool has\n  nosuch_module_xyz: { name: x }\n')
    writeFileSync(inventory, 'h1 ansible_connection=local\nh2 ansible_connection=local\n')
    const theirs = ansiblePlaybook(['-i', inventory, playbook], dir, { cwd: dir })
    expect(theirs.status).not.toBe(0)
    expect(theirs.stdout + theirs.stderr).toMatch(/ERROR! couldn't resolve module\/action 'nosuch_module_xyz'/)
    expect(theirs.stdout).not.toMatch(/after on h2/)
    const err = await run({ playbook, inventory }).then(() => undefined, (e: unknown) => e)
    expect(String(err)).toMatch(/other-os\.yml:2:3: unknown module 'nosuch_module_xyz'/)
  }, 300_000)

  it("a block's notify is the notify of each task inside that names none, and a task's own notify replaces it", async () => {
    const { theirs, mine } = await both(`- hosts: all
  gather_facts: false
  tasks:
    - name: grouped
      notify: from block
      block:
        - command: "true"
          changed_when: false
        - command: "true"
          notify: own
        - command: "true"
  handlers:
    - name: from block
      debug: { msg: block handler }
    - name: own
      debug: { msg: own handler }
`)
    expect(sameMsgs(theirs, mine)).toEqual(['block handler', 'own handler'])
  }, 300_000)

  it('a templated notify names its handler with the host\'s variables', async () => {
    const { theirs, mine } = await both(`- hosts: all
  gather_facts: false
  vars: { service: web }
  tasks:
    - command: "true"
      notify: "restart {{ service }}"
  handlers:
    - name: restart web
      debug: { msg: web restarted }
`)
    expect(sameMsgs(theirs, mine)).toEqual(['web restarted'])
  }, 300_000)

  it("include_tasks' apply, under args or in its own mapping, hands its keywords to every included task", async () => {
    const { theirs, mine } = await both(`- hosts: all
  gather_facts: false
  tasks:
    - include_tasks: greet.yml
      args:
        apply:
          vars: { greeting: from args }
    - include_tasks:
        file: greet.yml
        apply:
          vars: { greeting: from mapping }
    - include_tasks:
        file: greet.yml
        apply:
          when: false
`, ['h1'], { 'greet.yml': '- debug: { msg: "{{ greeting | default(\'none\') }}" }\n' })
    expect(sameMsgs(theirs, mine)).toEqual(['from args', 'from mapping'])
  }, 300_000)

  it('a set_fact whose names are templates defines them for the tasks after it, which load without an undefined-variable error', async () => {
    const { theirs, mine } = await both(`- hosts: all
  gather_facts: false
  vars:
    os_vars: { sshd_service_name: sshd, sshd_path: /usr/sbin/sshd }
  tasks:
    - set_fact:
        "{{ item.key }}": "{{ item.value }}"
      with_dict: "{{ os_vars }}"
    - name: show
      debug: { msg: "{{ sshd_service_name }} {{ sshd_path }}" }
`)
    expect(sameMsgs(theirs, mine, 'show')).toEqual(['sshd /usr/sbin/sshd'])
  }, 300_000)
  it("a handler's module arguments are checked when it runs: a wrong value fails the notified host only, with a warning before the run", async () => {
    const { theirs, mine } = await both(`- hosts: all
  gather_facts: false
  tasks:
    - command: "true"
      when: inventory_hostname == 'h1'
      notify: stop app
    - debug: { msg: "after on {{ inventory_hostname }}" }
  handlers:
    - name: stop app
      service: { name: pgha-no-such-service, state: stop }
    - name: never notified
      service: { name: pgha-no-such-service, state: stoped }
`, ['h1', 'h2'])
    expect(ansibleFailed(theirs.stdout)).toEqual({ h1: 1, h2: 0 })
    expect(theirs.stdout).toMatch(/value of state must be one of: .*got: stop/)
    expect({ h1: mine.recap.h1.failed, h2: mine.recap.h2.failed }).toEqual({ h1: 1, h2: 0 })
    const failure = (mine.events as EngineEvent[]).find((e) => e.type === 'host:result' && e.result.failed)
    expect(failure?.type === 'host:result' && [failure.host, String(failure.result.msg)]).toEqual(['h1', expect.stringMatching(/state/)])
    const warnings = (mine.events as EngineEvent[]).flatMap((e) => (e.type === 'warning' ? [e.message] : []))
    expect(warnings).toEqual([
      expect.stringMatching(/play\.yml:10:53: .*'state' of module 'service'.*'stop'.*notified/),
      expect.stringMatching(/play\.yml:12:53: .*'state' of module 'service'.*'stoped'.*notified/),
    ])
  }, 300_000)
  it("a variable a role reads and leaves to its user: a warning before the run, then the task that reads it fails, as in Ansible", async () => {
    const { dir, theirs, mine } = await both(`- hosts: all
  gather_facts: false
  roles: [needs_version]
`, ['h1'], {
      'roles/needs_version/defaults/main.yml': '# pg_version: required, set it in your play\npaths:\n  bindir: "/usr/lib/postgresql/{{ pg_version }}/bin"\n',
      'roles/needs_version/tasks/main.yml': '- name: before\n  debug: { msg: before }\n- name: uses it\n  debug: { msg: "{{ paths.bindir }}" }\n- name: after\n  debug: { msg: after }\n',
    })
    expect(theirs.stdout).toMatch(/^h1\s+: ok=1\s+changed=0\s+unreachable=0\s+failed=1\s/m)
    expect(mine.recap.h1).toMatchObject({ ok: 1, failed: 1 })
    const warnings = (mine.events as EngineEvent[]).flatMap((e) => (e.type === 'warning' ? [e.message.split('\n')[0]] : []))
    expect(warnings).toEqual([expect.stringMatching(new RegExp(`^${join(dir, 'roles/needs_version/defaults/main.yml')}:3:35: undefined variable 'pg_version' .*role 'needs_version' reads it and does not define it`))])
  }, 300_000)

  it("a variable the play's own text reads and nothing defines stays an error before any host is contacted (where Ansible fails the task)", async () => {
    const dir = tempDir('pgha-run-semantics')
    const playbook = join(dir, 'play.yml')
    const inventory = join(dir, 'hosts.ini')
    writeFileSync(playbook, `- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: { msg: before }\n    - debug: { msg: "{{ pg_verison }}" }\n`)
    writeFileSync(inventory, 'h1 ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n')
    const theirs = ansiblePlaybook(['-i', inventory, playbook], dir, { cwd: dir })
    expect(theirs.stdout).toMatch(/^h1\s+: ok=1\s+changed=0\s+unreachable=0\s+failed=1\s/m)
    const err = await run({ playbook, inventory }).then(() => undefined, (e: unknown) => e)
    expect(String(err)).toMatch(/play\.yml:5:25: undefined variable 'pg_verison' in args\.msg/)
  }, 300_000)
})
