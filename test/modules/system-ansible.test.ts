// ping, replace, find, getent, fetch, sysctl, hostname and timezone run by ansible-playbook and by pgha:
// the same playbook on the local connection, each tool on its own copy of the same temp tree. For every
// task both must report the same changed status and the result values a playbook reads (find's files in
// order, getent's facts, fetch's checksums, ...), and the trees must end with the same bytes and modes.
// Nothing of this machine is changed: sysctl writes only a temp sysctl_file with reload off, and sysctl_set,
// hostname and timezone run in check mode. Runs where ansible-playbook and the ansible.posix and
// community.general collections (Debian's ansible package) are installed; in CI they must be.
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, onTestFinished } from 'vitest'
import { run, snapshot } from '../engine/harness.js'

/** ansible-playbook is there, and so are the collections the modules and the json callback come from. */
function hasOracle(): boolean {
  if (spawnSync('ansible-playbook', ['--version'], { encoding: 'utf8' }).status !== 0) return false
  const wanted = ['ansible.posix.sysctl', 'community.general.timezone']
  const doc = spawnSync('ansible-doc', ['-j', ...wanted], { encoding: 'utf8' })
  try {
    const found = Object.keys(JSON.parse(doc.stdout) as object)
    return wanted.every((m) => found.includes(m))
  } catch {
    return false
  }
}
const ansible = hasOracle()

if (process.env.CI || process.env.PGHA_REQUIRE_LAB) {
  it('has its oracle: ansible-playbook with ansible.posix and community.general', () => {
    expect(ansible, 'ansible-playbook or the ansible.posix/community.general collections are missing').toBe(true)
  })
}

const PLAYBOOK = String.raw`
- hosts: h1
  gather_facts: false
  tasks:
    - name: ping
      ping:
    - name: ping data
      ansible.builtin.ping: { data: hello }
    - name: replace
      replace: { path: "{{ d }}/pg.conf", regexp: '^#(port) = (\d+)$', replace: '\1 = \2' }
    - name: replace again
      replace: { path: "{{ d }}/pg.conf", regexp: '^#(port) = (\d+)$', replace: '\1 = \2' }
    - name: replace section
      ansible.builtin.replace: { dest: "{{ d }}/pg.conf", regexp: '^x=1$', replace: 'x=2', after: '\[db\]', before: '\[web\]' }
    - name: find
      find: { paths: "{{ d }}/tree", patterns: "*.conf", recurse: yes }
    - name: find any hidden depth
      find: { paths: "{{ d }}/tree", hidden: yes, recurse: yes, depth: 2, file_type: any }
    - name: find regex contains
      ansible.builtin.find: { path: "{{ d }}/tree", use_regex: yes, pattern: '^[a-c]\.conf$', contains: 'port = \d+', recurse: yes }
    - name: find size and links
      find: { paths: ["{{ d }}/tree", "{{ d }}/none"], file_type: link, size: "-1k" }
    - name: getent passwd
      getent: { database: passwd, key: root }
    - name: getent group missing
      getent: { database: group, key: no-such-group-here, fail_key: no }
    - name: fetch
      fetch: { src: "{{ d }}/src.bin", dest: "{{ d }}/fetched" }
    - name: fetch again
      fetch: { src: "{{ d }}/src.bin", dest: "{{ d }}/fetched" }
    - name: fetch flat
      ansible.builtin.fetch: { src: "{{ d }}/src.bin", dest: "{{ d }}/flat/", flat: yes }
    - name: sysctl
      ansible.posix.sysctl: { name: vm.swappiness, value: "5", sysctl_file: "{{ d }}/sysctl.conf", reload: no }
    - name: sysctl again
      ansible.posix.sysctl: { key: vm.swappiness, val: "5", sysctl_file: "{{ d }}/sysctl.conf", reload: no }
    - name: sysctl absent
      ansible.posix.sysctl: { name: kernel.ostype, state: absent, sysctl_file: "{{ d }}/sysctl.conf", reload: no }
    - name: sysctl set in check mode
      ansible.posix.sysctl: { name: kernel.ostype, value: Other, sysctl_file: "{{ d }}/sysctl2.conf", sysctl_set: yes }
      check_mode: true
    - name: hostname unchanged
      hostname: { name: "{{ current_hostname }}" }
      check_mode: true
    - name: hostname other
      ansible.builtin.hostname: { name: other-name.example }
      check_mode: true
    - name: timezone unchanged
      community.general.timezone: { name: "{{ current_timezone }}" }
      check_mode: true
    - name: timezone other
      community.general.timezone: { name: Europe/Paris }
      check_mode: true
`

const TASKS = [...PLAYBOOK.matchAll(/- name: (.*)/g)].map((m) => m[1])

/** The same starting tree in `d`. */
function seed(d: string): void {
  writeFileSync(join(d, 'pg.conf'), "#port = 5432\nlisten = 'a'\nx=1\n[db]\nx=1\n[web]\nx=1\n")
  mkdirSync(join(d, 'tree/conf.d/.hidden'), { recursive: true })
  mkdirSync(join(d, 'tree/conf.d/deep/deeper'), { recursive: true })
  writeFileSync(join(d, 'tree/a.conf'), 'listen = 1\n')
  writeFileSync(join(d, 'tree/b.log'), 'x'.repeat(2048))
  writeFileSync(join(d, 'tree/.secret.conf'), 's\n')
  writeFileSync(join(d, 'tree/conf.d/c.conf'), '# port = 1\nport = 5432\n')
  writeFileSync(join(d, 'tree/conf.d/.hidden/h.conf'), 'h\n')
  writeFileSync(join(d, 'tree/conf.d/deep/deeper/d.conf'), 'd\n')
  symlinkSync('a.conf', join(d, 'tree/link.conf'))
  writeFileSync(join(d, 'src.bin'), 'fetched bytes\n\u00e9\n')
  writeFileSync(join(d, 'sysctl.conf'), '# kept\n  vm.swappiness = 60\nkernel.ostype = Linux\n; also kept\n')
}

type Result = Record<string, unknown>

/** What a playbook reads of a task's result, with the tree's own directory written BASE. */
function comparable(task: string, r: Result, base: string): Result {
  const rel = (v: unknown): unknown => JSON.parse(JSON.stringify(v ?? null).replaceAll(base, 'BASE'))
  const out: Result = { changed: r.changed ?? false, failed: r.failed ?? false }
  if (task.startsWith('ping')) out.ping = r.ping
  if (task.startsWith('replace')) out.msg = r.msg
  if (task.startsWith('find')) {
    const files = (r.files as Result[]).map((f) => ({
      keys: Object.keys(f).sort(),
      ...Object.fromEntries(['path', 'mode', 'isdir', 'isreg', 'islnk', 'size', 'uid', 'gid', 'pw_name', 'gr_name', 'nlink', 'xusr', 'roth'].map((k) => [k, f[k]])),
    }))
    Object.assign(out, { files: rel(files), matched: r.matched, examined: r.examined, msg: r.msg, skipped: Object.keys(r.skipped_paths as object).map(rel) })
  }
  if (task.startsWith('getent')) Object.assign(out, { ansible_facts: r.ansible_facts, msg: r.msg })
  if (task.startsWith('fetch')) Object.assign(out, rel({ dest: r.dest, checksum: r.checksum, md5sum: r.md5sum, remote_checksum: r.remote_checksum }) as Result)
  if (task.startsWith('hostname')) {
    const facts = r.ansible_facts as Result
    Object.assign(out, { name: r.name, hostname: facts.ansible_hostname, nodename: facts.ansible_nodename })
  }
  return out
}

/** ansible-playbook's results through the json callback: task name -> h1's result. */
function ansibleResults(stdout: string): Record<string, Result> {
  const doc = JSON.parse(stdout.slice(stdout.indexOf('{'))) as { plays: { tasks: { task: { name: string }; hosts: Record<string, Result> }[] }[] }
  return Object.fromEntries(doc.plays[0].tasks.map((t) => [t.task.name, t.hosts.h1]))
}

/** The tree's files and modes, paths holding `base` written BASE. */
const tree = (base: string): Record<string, string> =>
  Object.fromEntries(Object.entries(snapshot(base)).map(([k, v]) => [k.replaceAll(base.slice(1), 'BASE'), v]))

describe.skipIf(!ansible)('the system modules as ansible-playbook runs them', () => {
  it('report the same changed status and results per task and leave the same files', async () => {
    const top = mkdtempSync(join(tmpdir(), 'pgha-sys-ansible-'))
    onTestFinished(() => rmSync(top, { recursive: true, force: true }))
    const theirs = join(top, 'theirs')
    const mine = join(top, 'mine')
    for (const d of [theirs, mine]) {
      mkdirSync(d)
      seed(d)
    }
    writeFileSync(join(top, 'site.yml'), PLAYBOOK)
    writeFileSync(join(top, 'inventory.ini'), 'h1 ansible_connection=local\n')
    const current = {
      current_hostname: existsSync('/etc/hostname') ? readFileSync('/etc/hostname', 'utf8').trim() : 'localhost',
      current_timezone: existsSync('/etc/timezone') ? readFileSync('/etc/timezone', 'utf8').trim() : 'Etc/UTC',
    }
    const extra = (d: string): string[] => [`d=${d}`, ...Object.entries(current).map(([k, v]) => `${k}=${v}`)]
    const r = spawnSync('ansible-playbook', ['-i', join(top, 'inventory.ini'), join(top, 'site.yml'), ...extra(theirs).flatMap((e) => ['-e', e])], {
      encoding: 'utf8',
      env: {
        ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_PYTHON_INTERPRETER: 'auto_silent', ANSIBLE_RETRY_FILES_ENABLED: '0',
        ANSIBLE_LOCAL_TEMP: join(top, '.tmp'), ANSIBLE_HOME: join(top, '.ansible'), ANSIBLE_STDOUT_CALLBACK: 'ansible.posix.json',
        ANSIBLE_DEPRECATION_WARNINGS: '0',
      },
      timeout: 300_000,
    })
    expect(r.status, r.stdout + r.stderr).toBe(0)
    const their = ansibleResults(r.stdout)
    expect(Object.keys(their)).toEqual(TASKS)

    const ours = await run({ playbook: join(top, 'site.yml'), inventory: join(top, 'inventory.ini'), extraVars: extra(mine) })
    expect(ours.exitCode).toBe(0)
    for (const task of TASKS) {
      const h = ours.results(task).h1
      const mineResult = { ...h.result, changed: h.status === 'changed' }
      expect({ task, ...comparable(task, mineResult, mine) }).toEqual({ task, ...comparable(task, their[task], theirs) })
    }
    // What a user would check on disk: the edited files and the fetched copies, byte for byte, with their modes.
    expect(tree(mine)).toEqual(tree(theirs))
  }, 300_000)
})
