// Ansible's own modules (those pgha lacks) on the lab over SSH, logged in as the non-root user and become
// another through sudo. The node gets python3 from its offline apt cache (the lab's image has none); the
// AnsiballZ payload the controller's Ansible builds runs in it as the become user (the file it makes is
// that user's), a collection module routed by its short name edits a file, and nothing of the payload is
// left on the node. With python3 hidden (renamed for the test, then put back) the task fails, naming the
// module and the interpreters looked for, and so does one whose ansible_python_interpreter is not there.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { run } from '../engine/harness.js'
import { haveAnsible } from '../modules/ansible-differential.js'
import { lab, labExec, loginUser, skipReason } from './lab-env.js'

const ROOT = `/tmp/pgha-e2e-ansmod-${process.pid}`
const TEST_USER = 'pgha_e2e_ans'
const NODE = 'node1'
const AS_DEPLOY = [`ansible_user=${loginUser.name}`, `ansible_become_password=${loginUser.password}`]

async function onNode(cmd: string): Promise<string> {
  const r = await labExec(NODE, cmd)
  if (r.rc !== 0) throw new Error(`${NODE}: \`${cmd}\` failed (rc ${r.rc}): ${r.stderr}`)
  return r.stdout
}

describe.skipIf(skipReason || !haveAnsible)("Ansible's modules on a lab node over SSH, with become", () => {
  let dir = ''
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pgha-e2e-ansmod-'))
    await onNode(`id -u ${TEST_USER} >/dev/null 2>&1 || useradd -M -s /usr/sbin/nologin ${TEST_USER}; install -d -m 0777 ${ROOT}`)
    const py = await labExec(NODE, ['sh', '-c', 'command -v /usr/bin/python3 >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-download python3'], { timeoutMs: 300_000 })
    if (py.rc !== 0) throw new Error(`python3 on ${NODE}: ${py.stderr}`)
  }, 320_000)
  const freshPamFile = (): Promise<string> => onNode(`printf 'auth required pam_unix.so\\n' > ${ROOT}/login; chmod 0666 ${ROOT}/login`)
  afterAll(async () => {
    if (dir) rmSync(dir, { recursive: true, force: true })
    await labExec(NODE, `rm -rf ${ROOT}; userdel ${TEST_USER}`)
  })

  const book = (): string => {
    const path = join(dir, 'site.yml')
    writeFileSync(path, `
- hosts: ${NODE}
  gather_facts: false
  become: true
  become_user: ${TEST_USER}
  tasks:
    - name: a temp file
      ansible.builtin.tempfile: { state: file, path: ${ROOT}, suffix: .e2e }
      register: t
    - name: a PAM rule
      pamd: { name: login, path: ${ROOT}, type: auth, control: required, module_path: pam_unix.so, new_control: requisite }
`)
    return path
  }

  it("runs them in the node's python as the become user, and leaves nothing of the payload behind", async () => {
    await freshPamFile()
    const r = await run({ playbook: book(), inventory: lab.inventory, extraVars: AS_DEPLOY })
    expect(r.exitCode).toBe(0)
    const t = r.results('a temp file')[NODE]
    expect(t.status).toBe('changed')
    const path = String(t.result.path)
    expect(path).toMatch(new RegExp(`^${ROOT}/ansible\\.\\w+\\.e2e$`))
    expect((await onNode(`stat -c '%U %a' ${path}`)).trim()).toBe(`${TEST_USER} 600`)
    expect(r.results('a PAM rule')[NODE].status).toBe('changed')
    // pamd's own output: its note on top, then the rule with the new control.
    expect(await onNode(`cat ${ROOT}/login`)).toMatch(/^\n# Updated by Ansible - [\d-]+T[\d:.]+\nauth\s+requisite pam_unix\.so\n?$/)
    // AnsiballZ unpacks into a temp dir of its own and removes it; pgha writes no arguments file.
    expect((await onNode(`find /tmp /home -maxdepth 3 -name 'ansible_*_payload_*' -o -maxdepth 3 -name 'AnsiballZ_*'`)).trim()).toBe('')
  }, 180_000)

  it('fails the task on a node without python, naming the module and the interpreters looked for', async () => {
    await freshPamFile()
    await onNode('mv /usr/bin/python3 /usr/bin/python3.pgha-e2e-hidden')
    const r = await run({ playbook: book(), inventory: lab.inventory, extraVars: AS_DEPLOY }).finally(() => onNode('mv /usr/bin/python3.pgha-e2e-hidden /usr/bin/python3'))
    expect(r.exitCode).toBe(2)
    expect(r.results('a temp file')[NODE].result).toMatchObject({
      failed: true,
      msg: 'the module ansible.builtin.tempfile needs python3 on the host: none of /usr/bin/python3, python3, /usr/libexec/platform-python is there (or set ansible_python_interpreter)',
    })
    // The host failed at that task: nothing after it ran there, the PAM file is as it was.
    expect(r.results('a PAM rule')[NODE]).toBeUndefined()
    expect((await onNode(`cat ${ROOT}/login`)).trim()).toBe('auth required pam_unix.so')
  }, 120_000)

  it('fails a task whose configured python is not there, naming the module and the interpreter', async () => {
    const book = join(dir, 'nopython.yml')
    writeFileSync(book, `
- hosts: ${NODE}
  gather_facts: false
  tasks:
    - name: a temp file
      tempfile: { state: file, path: ${ROOT} }
`)
    const r = await run({ playbook: book, inventory: lab.inventory, extraVars: ['ansible_python_interpreter=/opt/no/python3'] })
    expect(r.exitCode).toBe(2)
    expect(r.results('a temp file')[NODE].result).toMatchObject({
      failed: true,
      msg: 'the module tempfile needs python3 on the host: ansible_python_interpreter /opt/no/python3 is not there',
    })
  }, 120_000)
})
