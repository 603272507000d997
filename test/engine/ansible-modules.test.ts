// How a module pgha lacks is resolved through the controller's Ansible before any host is contacted: one
// python run for every name of a load (includes too), the play's collections honoured, Ansible's routing's
// deprecations as warnings, and a clear error at file:line:col for a tombstone, an action plugin, a name
// Ansible lacks too, and a controller without Ansible. And no_log: a module's password never in output.
import { execFileSync, spawn } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, onTestFinished } from 'vitest'
import { ConfigErrors, formatLoc } from '../../src/errors.js'
import { ansibleModules, fqcnOf, getModule, libraryFinder, modules } from '../../src/modules/index.js'
import { loadPlaybook } from '../../src/playbook/index.js'
import { haveAnsible } from '../modules/ansible-differential.js'
import { BIN } from '../built.js'
import { localHosts, play, project } from './harness.js'

/** The load's errors as `line:col: message`. */
async function loadErrors(tasks: string, files: Record<string, string> = {}): Promise<string[]> {
  const p = project(localHosts(['h1']), { 'site.yml': play(tasks), ...files })
  const err = await p.run().then(() => undefined, (e: unknown) => e)
  expect(err).toBeInstanceOf(ConfigErrors)
  return (err as ConfigErrors).errors.map((e) => `${e.loc ? formatLoc(e.loc).replace(/^.*\//, '') : ''}: ${e.message}`)
}

const savedPath = process.env.PATH
afterEach(() => {
  process.env.PATH = savedPath
})

describe.skipIf(!haveAnsible)("modules pgha lacks, resolved by the controller's Ansible at load", () => {
  it('asks one python for every name of the load, an included file\'s too, with the play\'s collections', () => {
    const p = project(localHosts(['h1']), {
      'site.yml': `
- hosts: all
  gather_facts: false
  collections: [community.general]
  tasks:
    - cargo: { name: ripgrep }
    - tempfile: { state: file }
    - pamd: { name: login, type: auth, control: required, module_path: pam_unix.so }
    - include_tasks: more.yml
`,
      'more.yml': '- community.general.archive: { path: /tmp/x }\n',
    })
    const resolver = ansibleModules()
    const book = loadPlaybook(join(p.dir, 'site.yml'), { modules: getModule, libraryModule: libraryFinder(), ansibleModule: resolver, moduleNames: [...modules.keys()], fqcnOf })
    expect(resolver.starts).toBe(1)
    const tasks = book.plays[0].tasks.flatMap((t) => (t.kind === 'task' ? [t] : []))
    // cargo is found only in the play's collection; the library file each task runs is Ansible's module.
    expect(tasks.map((t) => [t.module, t.library?.fqcn])).toEqual([
      ['cargo', 'community.general.cargo'], ['tempfile', 'ansible.builtin.tempfile'], ['pamd', 'community.general.pamd'],
    ])
    expect(tasks[0].library?.path).toMatch(/ansible_collections\/community\/general\/plugins\/modules\/cargo\.py$/)
  })

  it("warns with Ansible's deprecation of a route", () => {
    const p = project(localHosts(['h1']), { 'site.yml': play('    - community.general.system.pamd: { name: login, type: auth, control: required, module_path: pam_unix.so }\n') })
    const book = loadPlaybook(join(p.dir, 'site.yml'), { modules: getModule, ansibleModule: ansibleModules(), moduleNames: [...modules.keys()] })
    expect(book.warnings?.map((w) => `${w.loc?.line}:${w.loc?.col}: ${w.message}`)).toEqual([
      '6:7: community.general.system.pamd has been deprecated. You are using an internal name to access the community.general.pamd modules. This has never been supported or documented, and will stop working in community.general 9.0.0.',
    ])
  })

  it('refuses a tombstone, an action plugin and a name Ansible lacks too, at file:line:col, before any host', async () => {
    expect(await loadErrors(`
    - community.general.docker_image_facts: { name: x }
    - script: setup.sh
    - nosuch_module_xyz: { a: 1 }
`)).toEqual([
      "site.yml:7:7: module 'community.general.docker_image_facts': [DEPRECATED]: community.general.docker_image_facts has been removed. Use community.docker.docker_image_info instead. This feature was removed from community.general in version 2.0.0. Please update your playbooks.",
      "site.yml:8:7: module 'script' is Ansible's action plugin ansible.builtin.script, which runs inside ansible-playbook on the controller: pgha runs Ansible's modules, but cannot run an action plugin",
      "site.yml:9:7: unknown module 'nosuch_module_xyz': pgha does not have it, nor does the controller's Ansible; the nearest it has is 'locale_gen' (npx pgha doc lists every module)",
    ])
  })

  it('runs wait_for_connection and reboot natively (Ansible has them as action plugins): their argument errors at load', async () => {
    for (const name of ['wait_for_connection', 'ansible.builtin.wait_for_connection', 'reboot', 'ansible.legacy.reboot']) expect(getModule(name)?.library).toBeUndefined()
    expect(await loadErrors(`
    - ansible.builtin.wait_for_connection: { timeout: 5, port: 22 }
    - wait_for_connection: { sleep: often }
    - reboot: { reboot_timeout: 60, reboot_delay: 5 }
    - ansible.builtin.reboot: { search_paths: [[/sbin]] }
    - reboot: { search_paths: [/sbin, sbin] }
`)).toEqual([
      "site.yml:7:58: module 'wait_for_connection' has no parameter 'port'",
      "site.yml:8:37: parameter 'sleep' of module 'wait_for_connection': expected number, got the string \"often\"",
      "site.yml:9:37: module 'reboot' has no parameter 'reboot_delay' (did you mean 'pre_reboot_delay'?)",
      "site.yml:10:48: parameter 'search_paths.0' of module 'reboot': expected string, got a list",
      "site.yml:11:39: parameter 'search_paths.1' of module 'reboot': \"sbin\" is not an absolute path: it must be an absolute path (starting with /)",
    ])
  })

  it('says in one line that the controller has no Ansible: the python running ansible-playbook lacks it', async () => {
    // An ansible-playbook whose python cannot import ansible (-S: no site-packages), first on PATH.
    const bin = mkdtempSync(join(tmpdir(), 'pgha-noansible-'))
    onTestFinished(() => rmSync(bin, { recursive: true, force: true }))
    writeFileSync(join(bin, 'ansible-playbook'), '#!/usr/bin/python3 -S\n')
    chmodSync(join(bin, 'ansible-playbook'), 0o755)
    process.env.PATH = `${bin}:${savedPath}`
    expect(await loadErrors('    - tempfile: { state: file }\n')).toEqual([
      "site.yml:6:7: unknown module 'tempfile': pgha does not have it, and no Ansible on the controller to look in " +
        `(the python of ${bin}/ansible-playbook (/usr/bin/python3 -S) has no ansible package: install ansible-core and the collection to run Ansible's modules); the nearest it has is 'template' (npx pgha doc lists every module)`,
    ])
  })
})

/** `pgha run` as a user runs it, stdout and stderr together. */
function pghaRun(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'run', ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (out += d.toString()))
    child.on('close', (code) => resolve({ code, out }))
  })
}

/** A project dir with a one-host local inventory and `tasks` as its play. */
function localProject(tasks: string): { inventory: string; book: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'pgha-nolog-'))
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
  mkdirSync(join(dir, 'p'))
  writeFileSync(join(dir, 'inventory.ini'), 'h1 ansible_connection=local\n')
  writeFileSync(join(dir, 'site.yml'), play(tasks.replaceAll('DIR', dir)))
  return { dir, inventory: join(dir, 'inventory.ini'), book: join(dir, 'site.yml') }
}

describe.skipIf(!haveAnsible)("secrets of Ansible's modules", () => {
  it('no_log keeps a password out of every output, the JSON one and the error too', async () => {
    // It fails (no PyMySQL on this machine): the failure is reported, the password is not.
    const { inventory, book } = localProject(`
    - name: a database user
      community.mysql.mysql_user: { name: bob, password: "Zq7-unguessable-pw", login_unix_socket: DIR/none.sock }
      no_log: true
      ignore_errors: true
    - mysql_user: { name: bob, password: "Zq7-unguessable-pw", login_unix_socket: DIR/none.sock }
      no_log: true
      ignore_errors: true
`)
    for (const args of [[], ['--output', 'json'], ['-vvv']]) {
      const r = await pghaRun(['-i', inventory, book, ...args])
      expect(r.code).toBe(0)
      // Both ran and failed (ignored); the unnamed one is titled by its module alone.
      expect(r.out).toContain('a database user')
      expect(r.out).toMatch(/"?ignored"?: ?2|ignored=2/)
      expect(r.out).toContain('mysql_user')
      expect(r.out).not.toContain('Zq7-unguessable-pw')
    }
  }, 120_000)

  it("masks a module's own no_log parameter, read from its argument spec, without no_log on the task", async () => {
    // community.general.consul_kv's `token` is no_log in its spec, and not a name pgha knows as secret.
    const { inventory, book } = localProject(`
    - community.general.consul_kv: { key: pgha/x, value: "1", token: "Tk9-unguessable-token", host: 127.0.0.1, port: 1 }
      ignore_errors: true
`)
    for (const args of [[], ['--output', 'json'], ['-vvv']]) {
      const r = await pghaRun(['-i', inventory, book, ...args])
      expect(r.code).toBe(0)
      expect(r.out).toMatch(/community\.general\.consul_kv: key=pgha\/x value=1 token=\*+/)
      expect(r.out).not.toContain('Tk9-unguessable-token')
    }
  }, 120_000)
})

describe.skipIf(!haveAnsible)("an Ansible module's warnings", () => {
  it('are shown as warnings and registered, with the host\'s ansible_remote_tmp the module was given', async () => {
    const p = project(localHosts(['h1']), {
      'site.yml': play(`
    - name: a PAM rule
      community.general.pamd: { name: login, path: PAMDIR, type: auth, control: required, module_path: pam_unix.so, new_control: requisite }
      register: r
`.replaceAll('PAMDIR', '"{{ playbook_dir }}/pam.d"')),
      'pam.d/login': 'auth required pam_unix.so\n',
    })
    const rtmp = join(p.dir, 'rtmp')
    const r = await p.run({ extraVars: [`ansible_remote_tmp=${rtmp}`] })
    expect(r.exitCode).toBe(0)
    const words = `Module remote_tmp ${rtmp} did not exist and was created with a mode of 0700, this may cause issues when running as another user. To avoid this, create the remote_tmp dir with the correct permissions manually`
    expect(r.events.filter((e) => e.type === 'warning')).toEqual([{ type: 'warning', host: 'h1', message: words }])
    expect(r.results('a PAM rule').h1.result).toMatchObject({ changed: true, warnings: [words] })
  })
})

describe.skipIf(!haveAnsible || process.getuid?.() !== 0)("an Ansible module under become", () => {
  it('runs as the become user: the file it makes is that user\'s, and no payload is left in its temp dir', async () => {
    const p = project(localHosts(['h1']), {
      'site.yml': play(`
    - name: a temp file
      tempfile: { state: file, path: "{{ playbook_dir }}/shared" }
      become: true
      become_user: nobody
      environment: { TMPDIR: "{{ playbook_dir }}/shared/tmp" }
      register: t
`),
    })
    // nobody may pass through the project dir (mkdtemp's 0700) into a dir it may write.
    chmodSync(p.dir, 0o711)
    mkdirSync(join(p.dir, 'shared', 'tmp'), { recursive: true })
    for (const d of ['shared', 'shared/tmp']) chmodSync(join(p.dir, d), 0o777)
    const r = await p.run()
    expect(r.exitCode).toBe(0)
    const path = String(r.results('a temp file').h1.result.path)
    expect(path.startsWith(join(p.dir, 'shared', 'ansible.'))).toBe(true)
    const st = statSync(path)
    expect([st.uid, st.mode & 0o777]).toEqual([Number(execFileSync('id', ['-u', 'nobody'], { encoding: 'utf8' })), 0o600])
    // AnsiballZ unpacked the module in the task's TMPDIR and removed it there.
    expect(readdirSync(join(p.dir, 'shared', 'tmp'))).toEqual([])
  })
})
