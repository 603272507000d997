// Option injection: a value that starts with '-' must never reach a command's argument list as an option.
// Three layers, each seen as a user sees it:
// - a literal hostile value is an input error naming file:line:col, and no host is contacted;
// - a value known only at run time (extra vars, a registered command output) fails its task with a message
//   naming the parameter, and no stand-in tool obeyed it (no PWNED marker);
// - a value that is valid and still starts with '-' (systemd's `-.mount` names are) reaches the tool after
//   `--`, as an operand.
// Run on the local connection and again over SSH to the private loopback sshd.
import { statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { calls, cleanupProjects, inventory, lineOf, overSsh, pgha, play, project, recap, task, taskResult, type HostLine, type Project, type Run } from './exec-harness.js'

afterAll(cleanupProjects)

const TOOLS = ['systemctl', 'apt-get', 'apt-cache', 'dpkg-query', 'useradd', 'usermod', 'userdel', 'groupadd', 'groupmod', 'groupdel', 'chpasswd', 'repmgr', 'psql']

// --- literal values: input errors before any host is contacted -------------------------------------

interface LiteralCase {
  id: string
  module: string
  args: Record<string, unknown>
  /** The parameter the error names, and the hostile value written for it. */
  param: string
  value: string
  /** What the error says after the parameter, when not the value itself (a choice list names the choices). */
  says?: string
}

const D = '/tmp/pgha-never-written'
const literal: LiteralCase[] = [
  { id: 'systemd unit --host=', module: 'systemd', args: { name: '--host=evil.example', state: 'started' }, param: 'name', value: '--host=evil.example' },
  { id: 'service unit --root=', module: 'service', args: { name: '--root=/tmp/PWNED', state: 'restarted' }, param: 'name', value: '--root=/tmp/PWNED' },
  { id: 'systemd unit with a space', module: 'systemd', args: { name: 'pgserver -H evil', enabled: true }, param: 'name', value: 'pgserver -H evil' },
  { id: 'apt package -o Pre-Invoke', module: 'apt', args: { name: ['flex', '-oAPT::Update::Pre-Invoke::=touch /tmp/PWNED'] }, param: 'name.1', value: '-oAPT::Update::Pre-Invoke::=touch /tmp/PWNED' },
  { id: 'package --allow-unauthenticated', module: 'package', args: { name: '--allow-unauthenticated' }, param: 'name.0', value: '--allow-unauthenticated' },
  { id: 'apt dpkg_options -o', module: 'apt', args: { name: 'flex', dpkg_options: '-oDir::Bin::dpkg=/tmp/PWNED' }, param: 'dpkg_options', value: '-oDir::Bin::dpkg=/tmp/PWNED', says: 'dpkg_options is a comma list of dpkg options' },
  { id: 'apt upgrade --allow-unauthenticated', module: 'apt', args: { upgrade: '--allow-unauthenticated' }, param: 'upgrade', value: '--allow-unauthenticated', says: "expected one of 'dist', 'full', 'safe', 'yes', 'no', got '--allow-unauthenticated'" },
  { id: 'yum --setopt', module: 'yum', args: { name: ['--setopt=tsflags=noscripts'] }, param: 'name.0', value: '--setopt=tsflags=noscripts' },
  { id: 'dnf --setopt', module: 'dnf', args: { name: ['--setopt=tsflags=noscripts'] }, param: 'name.0', value: '--setopt=tsflags=noscripts' },
  { id: 'dnf exclude --setopt', module: 'dnf', args: { name: 'flex', exclude: '--setopt=tsflags=noscripts' }, param: 'exclude.0', value: '--setopt=tsflags=noscripts' },
  { id: 'package pkg alias -c', module: 'package', args: { pkg: ['-c/tmp/evil.conf'] }, param: 'pkg.0', value: '-c/tmp/evil.conf' },
  { id: 'user name -o', module: 'user', args: { name: '-ouid0' }, param: 'name', value: '-ouid0' },
  { id: 'user group --prefix', module: 'user', args: { name: 'pghasec1', group: '--prefix=/tmp/PWNED' }, param: 'group', value: '--prefix=/tmp/PWNED' },
  { id: 'user groups item --root', module: 'user', args: { name: 'pghasec1', groups: ['wheel', '--root=/tmp'] }, param: 'groups.1', value: '--root=/tmp' },
  { id: 'user home --help', module: 'user', args: { name: 'pghasec1', home: '--help' }, param: 'home', value: '--help' },
  { id: 'user shell -c', module: 'user', args: { name: 'pghasec1', shell: '-c' }, param: 'shell', value: '-c' },
  { id: 'user ssh_key_file -f', module: 'user', args: { name: 'pghasec1', generate_ssh_key: true, ssh_key_file: '-fkey' }, param: 'ssh_key_file', value: '-fkey' },
  { id: 'group name -g0', module: 'group', args: { name: '-g0' }, param: 'name', value: '-g0' },
  { id: 'file owner --reference', module: 'file', args: { path: `${D}/f`, owner: '--reference=/etc/shadow' }, param: 'owner', value: '--reference=/etc/shadow' },
  { id: 'file group --from', module: 'file', args: { path: `${D}/f`, group: '--from=root' }, param: 'group', value: '--from=root' },
  { id: 'file path -rf', module: 'file', args: { path: '-rf', state: 'absent' }, param: 'path', value: '-rf' },
  { id: 'file link src --target-directory', module: 'file', args: { path: `${D}/l`, src: '--target-directory=/etc', state: 'link' }, param: 'src', value: '--target-directory=/etc' },
  { id: 'copy dest --target-directory', module: 'copy', args: { dest: '--target-directory=/etc/x', content: 'x' }, param: 'dest', value: '--target-directory=/etc/x' },
  { id: 'copy owner -R', module: 'copy', args: { dest: `${D}/c`, content: 'x', owner: '-R' }, param: 'owner', value: '-R' },
  { id: 'template dest relative -x', module: 'template', args: { src: 'x.hbs', dest: '-x' }, param: 'dest', value: '-x' },
  { id: 'lineinfile path --version', module: 'lineinfile', args: { path: '--version', line: 'x' }, param: 'path', value: '--version' },
  { id: 'blockinfile path -i', module: 'blockinfile', args: { path: '-i', block: 'x' }, param: 'path', value: '-i' },
  { id: 'stat path -L', module: 'stat', args: { path: '-L' }, param: 'path', value: '-L' },
  { id: 'slurp src --help', module: 'slurp', args: { src: '--help' }, param: 'src', value: '--help' },
  { id: 'authorized_key user -p', module: 'authorized_key', args: { user: '-p', key: 'ssh-ed25519 AAAA x' }, param: 'user', value: '-p' },
  { id: 'authorized_key path --x', module: 'authorized_key', args: { user: 'root', key: 'ssh-ed25519 AAAA x', path: '--x' }, param: 'path', value: '--x' },
  { id: 'unarchive dest --to-command', module: 'unarchive', args: { src: '/tmp/a.tar', remote_src: true, dest: '--to-command=sh' }, param: 'dest', value: '--to-command=sh' },
  { id: 'unarchive src --use-compress-program', module: 'unarchive', args: { src: '--use-compress-program=sh', remote_src: true, dest: D }, param: 'src', value: '--use-compress-program=sh' },
  { id: 'unarchive owner --reference', module: 'unarchive', args: { src: '/tmp/a.tar', remote_src: true, dest: D, owner: '--reference=/etc/shadow' }, param: 'owner', value: '--reference=/etc/shadow' },
  { id: 'get_url dest -o', module: 'get_url', args: { url: 'http://127.0.0.1/x', dest: '-o/etc/passwd' }, param: 'dest', value: '-o/etc/passwd' },
  { id: 'command chdir -', module: 'command', args: { cmd: 'true', chdir: '-' }, param: 'chdir', value: '-' },
  { id: 'command creates -x', module: 'command', args: { cmd: 'true', creates: '-x' }, param: 'creates', value: '-x' },
  { id: 'shell executable -c', module: 'shell', args: { cmd: 'true', executable: '-c' }, param: 'executable', value: '-c' },
  { id: 'wait_for host -e', module: 'wait_for', args: { host: '-e/bin/sh', port: 5432, timeout: 1 }, param: 'host', value: '-e/bin/sh' },
  { id: 'postgresql_query login_host --set', module: 'postgresql_query', args: { query: 'SELECT 1', login_host: '--set=x' }, param: 'login_host', value: '--set=x' },
  { id: 'postgresql_user bindir relative', module: 'postgresql_user', args: { name: 'r', bindir: '--x' }, param: 'bindir', value: '--x' },
  { id: 'postgresql_db unix_socket_dir -h', module: 'postgresql_db', args: { name: 'd', unix_socket_dir: '-h' }, param: 'unix_socket_dir', value: '-h' },
  { id: 'repmgr_node upstream_host --force', module: 'repmgr_node', args: { action: 'witness_register', config: '/etc/repmgr.conf', upstream_host: '--force' }, param: 'upstream_host', value: '--force' },
  { id: 'repmgr_node config -F', module: 'repmgr_node', args: { action: 'primary_register', config: '-F' }, param: 'config', value: '-F' },
  { id: 'repmgr_node service -H=', module: 'repmgr_node', args: { action: 'standby_clone', config: '/etc/repmgr.conf', data_directory: D, upstream_host: 'node1', service: '-H=evil' }, param: 'service', value: '-H=evil' },
  { id: 'pg_cluster node --x', module: 'pg_cluster', args: { nodes: ['node1', '--x'] }, param: 'nodes.1', value: '--x' },
]

describe('option injection: literal values are input errors before any host is contacted', () => {
  let p: Project
  let text: string
  let run: Run
  beforeAll(async () => {
    p = project('opt-literal', TOOLS)
    p.write('templates/x.hbs', 'x\n')
    // The first task would leave a file behind if anything ran at all.
    const first = task('anything ran', 'copy', { dest: join(p.dir, 'ran'), content: 'x' })
    text = play(p, [first, ...literal.map((c) => task(c.id, c.module, c.args))])
    run = await pgha(p, ['run', p.write('site.yml', text), '-i', inventory(p)])
  }, 60_000)

  it('exits 1, says no host was contacted, and nothing ran', () => {
    expect(run.code, run.stdout + run.stderr).toBe(1)
    expect(run.stderr).toContain('no host was contacted')
    expect(p.marker('ran')).toBe(false)
    expect(calls(p)).toEqual([])
  })

  it.each(literal.map((c) => [c.id, c] as const))('%s: named at site.yml:line:col', (_id, c) => {
    const line = lineOf(text, JSON.stringify(c.value), `name: ${JSON.stringify(c.id)}`)
    const col = text.split('\n')[line - 1].indexOf(JSON.stringify(c.value)) + 1
    const out = run.stderr + run.stdout
    expect(out).toContain(`site.yml:${line}:${col}: parameter '${c.param}' of module '${c.module}': ${c.says ?? JSON.stringify(c.value).slice(0, 40)}`)
  })
})

// --- values known at run time: the task fails, nothing obeys them ----------------------------------

interface RuntimeCase {
  id: string
  module: string
  /** Arguments; `{{ v.<id> }}` stands for the hostile value. */
  args: Record<string, unknown>
  value: string
  /** What the failure names: the parameter. */
  param: string
}

const runtime: RuntimeCase[] = [
  { id: 'r01', module: 'systemd', args: { name: '{{ v.r01 }}', state: 'started' }, value: '--host=PWNED-r01', param: 'name' },
  { id: 'r02', module: 'service', args: { name: '{{ v.r02 }}', enabled: true }, value: '-H PWNED-r02', param: 'name' },
  { id: 'r03', module: 'package', args: { name: ['flex', '{{ v.r03 }}'] }, value: '-oAPT::Update::Pre-Invoke::=touch PWNED-r03', param: 'name.1' },
  { id: 'r04', module: 'apt', args: { name: '{{ v.r04 }}' }, value: '--option=Dir::Bin::dpkg=PWNED-r04', param: 'name.0' },
  { id: 'r05', module: 'user', args: { name: '{{ v.r05 }}' }, value: '-oPWNED-r05', param: 'name' },
  { id: 'r06', module: 'user', args: { name: 'pghasecr06', group: '{{ v.r06 }}' }, value: '--prefix=PWNED-r06', param: 'group' },
  { id: 'r07', module: 'user', args: { name: 'pghasecr07', groups: ['{{ v.r07 }}'] }, value: '--root=PWNED-r07', param: 'groups' },
  { id: 'r08', module: 'group', args: { name: '{{ v.r08 }}' }, value: '-PWNED-r08', param: 'name' },
  { id: 'r09', module: 'user', args: { name: '{{ v.r09 }}', state: 'absent' }, value: '--remove-PWNED-r09', param: 'name' },
  { id: 'r10', module: 'authorized_key', args: { user: '{{ v.r10 }}', key: 'ssh-ed25519 AAAA x' }, value: '--PWNED-r10', param: 'user' },
  { id: 'r11', module: 'repmgr_node', args: { action: 'witness_register', config: '/etc/repmgr.conf', upstream_host: '{{ v.r11 }}' }, value: '--PWNED-r11', param: 'upstream_host' },
  { id: 'r12', module: 'pg_cluster', args: { nodes: ['{{ v.r12 }}'] }, value: '-cPWNED-r12', param: 'nodes' },
  { id: 'r13', module: 'wait_for', args: { host: '{{ v.r13 }}', port: 9, timeout: 1 }, value: '-ePWNED-r13', param: 'host' },
  { id: 'r14', module: 'postgresql_query', args: { query: 'SELECT 1', login_host: '{{ v.r14 }}' }, value: '--PWNED-r14', param: 'login_host' },
  { id: 'r15', module: 'systemd', args: { name: '{{ v.r15 }}', masked: true }, value: 'x --PWNED-r15', param: 'name' },
  { id: 'r17', module: 'apt', args: { name: 'flex', dpkg_options: '{{ v.r17 }}' }, value: 'force-confold,-oDir::Bin::dpkg=PWNED-r17', param: 'dpkg_options' },
  { id: 'r16', module: 'apt', args: { upgrade: '{{ v.r16 }}' }, value: '-oAPT::Update::Pre-Invoke::=touch PWNED-r16', param: 'upgrade' },
]

/** The hostile values as the extra vars file gives them. */
const runtimeVars = { v: Object.fromEntries(runtime.map((c) => [c.id, c.value])) }

function runtimePlaybook(p: Project): string {
  const tasks = runtime.map((c) => task(c.id, c.module, c.args, ['ignore_errors: true']))
  // The same kind of value as a host's answer: registered output of a command, then used.
  tasks.push(task('host says', 'command', { argv: ['printf', '%s', '--reference=/etc/shadow'] }, ['register: said']))
  tasks.push(task('owner from host output', 'file', { path: join(p.dir, 'target'), owner: '{{ said.stdout }}' }, ['ignore_errors: true']))
  tasks.push(task('unit from host output', 'systemd', { name: '{{ said.stdout }}', state: 'stopped' }, ['ignore_errors: true']))
  return play(p, tasks)
}

function runtimeSuite(label: string, host: () => HostLine) {
  let p: Project
  let run: Run
  let targetGid: number
  beforeAll(async () => {
    p = project(`opt-runtime-${label}`, TOOLS)
    p.write('target', 'keep\n')
    targetGid = statSync(join(p.dir, 'target')).gid
    const vars = p.write('hostile.json', JSON.stringify(runtimeVars))
    run = await pgha(p, ['run', p.write('site.yml', runtimePlaybook(p)), '-i', inventory(p, host()), '-e', `@${vars}`, '-o', 'json'])
  }, 120_000)

  it('every hostile task failed (ignored, so the run goes on) and nothing else did', () => {
    expect(run.code, run.stderr).toBe(0)
    expect(recap(run)).toMatchObject({ failed: 0, ignored: runtime.length + 2 })
  })

  it.each(runtime.map((c) => [c.id, c] as const))('%s: the task fails naming the parameter; no tool obeyed the value', (_id, c) => {
    const r = taskResult(run, c.id)
    expect(r.result.failed, JSON.stringify(r)).toBe(true)
    expect(r.result.msg).toContain(`invalid arguments for ${c.module}: ${c.param}`)
    expect(p.marker(`PWNED-${c.id}`)).toBe(false)
    for (const argv of calls(p)) expect(argv.join(' ')).not.toContain(`PWNED-${c.id}`)
  })

  it('an owner read from a host command output fails its task and leaves the file as it was', () => {
    const r = taskResult(run, 'owner from host output')
    expect(r.result.msg).toContain('invalid arguments for file: owner: "--reference=/etc/shadow" is not a user or group')
    expect(statSync(join(p.dir, 'target')).gid).toBe(targetGid)
  })

  it('a unit name read from a host command output fails its task before systemctl runs', () => {
    expect(taskResult(run, 'unit from host output').result.msg).toContain('invalid arguments for systemd: name:')
    expect(calls(p, 'systemctl').some((argv) => argv.includes('--reference=/etc/shadow'))).toBe(false)
  })
}

describe('option injection: values known at run time fail their task (local)', () => runtimeSuite('local', () => ({ ansible_connection: 'local' })))

// --- valid values that start with '-': operands after `--` -----------------------------------------

function operandSuite(label: string, host: () => HostLine) {
  let p: Project
  let run: Run
  beforeAll(async () => {
    p = project(`opt-operand-${label}`, TOOLS)
    const tasks = [
      // systemd.unit(5) allows '-' first (the root mount is `-.mount`): valid, so it reaches systemctl.
      task('unit -HPWNED-o1', 'systemd', { name: '-HPWNED-o1', state: 'started' }),
      task('unit -.mount', 'systemd', { name: '-.mount', enabled: true }),
      task('unit mask -PWNED-o3', 'service', { name: '-PWNED-o3', masked: true }),
      // The control: the user's own command line does pass an option, and the stand-in obeys it.
      task('control', 'command', { argv: ['systemctl', '--PWNED-control', 'start', 'x'] }),
    ]
    run = await pgha(p, ['run', p.write('site.yml', play(p, tasks)), '-i', inventory(p, host()), '-o', 'json'])
  }, 120_000)

  it('the control: an option given on purpose is obeyed by the stand-in (the marker check can fail)', () => {
    expect(run.code, run.stdout + run.stderr).toBe(0)
    expect(p.marker('PWNED-control')).toBe(true)
  })

  it.each([['-HPWNED-o1', 'o1', 'start'], ['-PWNED-o3', 'o3', 'mask']])('unit %s reaches systemctl %s only after --', (unit, id, verb) => {
    expect(p.marker(`PWNED-${id}`)).toBe(false)
    const used = calls(p, 'systemctl').filter((argv) => argv.includes(`${unit}.service`))
    expect(used.map((argv) => argv[1])).toContain(verb)
    // After the `--` that ends the options (a read of several units names them all after it).
    for (const argv of used) {
      expect(argv.indexOf('--')).toBeGreaterThan(0)
      expect(argv.indexOf('--')).toBeLessThan(argv.indexOf(`${unit}.service`))
    }
  })

  it('-.mount is managed as the unit it names', () => {
    expect(taskResult(run, 'unit -.mount').status).toBe('changed')
    expect(calls(p, 'systemctl').map((argv) => argv.slice(1).join(' '))).toContain('enable -- -.mount')
  })
}

describe('option injection: valid values starting with - are operands (local)', () => operandSuite('local', () => ({ ansible_connection: 'local' })))

overSsh('option injection over SSH', (host) => {
  describe('values known at run time', () => runtimeSuite('ssh', host))
  describe('valid values starting with -', () => operandSuite('ssh', host))
})
