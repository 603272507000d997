// `pgha run` through the real bin with the local connection, twice and more: the first run leaves a run
// server; the next ones are run by it (proved by the process tree of a task's shell: its ancestors hold the
// server, not the client) and see the client's environment, working directory, edited files and exit code.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { isRunning } from '../processes.js'
import { dropRuntime, pgha, privateRuntime, serverOf, serverPids, sockets, waitFor, type PghaResult } from './served.js'

const dir = mkdtempSync(join(tmpdir(), 'pgha-persist-local-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A project directory: a relative inventory and playbook, and a file its copy task names relatively. */
function project(name: string, text: string): string {
  const root = join(dir, name)
  mkdirSync(join(root, 'files'), { recursive: true })
  writeFileSync(join(root, 'inv'), 'localhost ansible_connection=local\n')
  writeFileSync(join(root, 'files', 'note.txt'), `note of ${name}\n`)
  writeFileSync(join(root, 'play.yml'), `
- hosts: all
  gather_facts: false
  tasks:
    - name: env
      debug: { msg: "marker {{ lookup('env', 'MARKER', default='unset') }}" }
    - name: text
      debug: { msg: "${text}" }
    - name: copy
      copy: { src: files/note.txt, dest: "${root}/copied.txt" }
    - name: tree
      shell: 'p=$$; while [ "$p" -gt 1 ]; do echo "$p $(tr "\\0" " " </proc/$p/cmdline | cut -c1-100)"; p=$(ps -o ppid= -p $p | tr -d " "); done'
      changed_when: false
      register: tree
    - name: ancestors
      debug: { msg: "ancestors {{ tree.stdout_lines | join('|') }}" }
`)
  return root
}

/** The pids above the task's shell, as the playbook printed them. */
function ancestors(r: PghaResult): number[] {
  const m = /ancestors (.*)/.exec(r.stdout)
  if (!m) throw new Error(`no ancestors in the output:\n${r.stdout}\n${r.stderr}`)
  return m[1].split('|').map((line) => Number(line.split(' ')[0]))
}

const said = (r: PghaResult, what: string): string | undefined => new RegExp(`=> ${what} (.*)`).exec(r.stdout)?.[1]

describe('pgha run served by a run server, local connection', () => {
  let runtime = ''
  beforeEach(() => {
    runtime = privateRuntime()
  })
  afterEach(() => dropRuntime(runtime))

  const run = (cwd: string, env: Record<string, string> = {}): Promise<PghaResult> =>
    pgha(['run', 'play.yml', '-i', 'inv', '-o', 'plain'], { runtime, cwd, env })

  it('leaves a server after the first run, which runs the next with the client\'s env and working directory', async () => {
    const a = project('a', 'alpha')
    const b = project('b', 'bravo')
    expect(serverPids(runtime)).toEqual([])

    const first = await run(a, { MARKER: 'one' })
    expect(first.code, first.stderr).toBe(0)
    // In its own process: the task's shell descends from the client.
    expect(ancestors(first)).toContain(first.pid)
    const server = await serverOf(runtime)
    expect(sockets(runtime).map((s) => s.slice(runtime.length))).toEqual([expect.stringMatching(new RegExp(`^/pgha-${process.getuid!()}/run-[0-9a-f]+\\.sock$`))])

    // From another directory, with another MARKER: served (the shell descends from the server, not from
    // this client, which only relayed), and it saw this client's env and working directory (the relative
    // play.yml, inv and files/note.txt are b's). Without a server the first assertion fails: the client
    // would be the shell's ancestor.
    const second = await run(b, { MARKER: 'two' })
    expect(second.code, second.stderr).toBe(0)
    expect(ancestors(second)).toContain(server)
    expect(ancestors(second)).not.toContain(second.pid)
    expect(said(second, 'marker')).toBe('two')
    expect(said(second, 'bravo')).toBeUndefined()
    expect(second.stdout).toContain('ok: [localhost] => bravo')
    expect(second.stdout).toMatch(/changed: \[localhost\]/) // b's copy, made for the first time
    expect(second.stdout).toMatch(/localhost : ok=5 changed=1 unreachable=0 failed=0/)
    expect(readFileSync(join(b, 'copied.txt'), 'utf8')).toBe('note of b\n')

    // Back in a, MARKER unset: the served run's env is the client's, without the value the last run had.
    const third = await run(a)
    expect(third.code, third.stderr).toBe(0)
    expect(ancestors(third)).toContain(server)
    expect(said(third, 'marker')).toBe('unset')
    expect(third.stdout).toContain('ok: [localhost] => alpha')
    expect(third.stdout).toMatch(/localhost : ok=5 changed=0 unreachable=0 failed=0/)
    // Still the one server.
    expect(serverPids(runtime)).toEqual([server])
  })

  it('writes to a terminal (script(1)) what a run of its own writes there, colors and all, byte for byte', async () => {
    const t = project('t', 'alpha')
    // Tasks done at once (a slower one animates a spinner as long as it takes, which is timing), and the
    // pid of the process that renders them: the server's when served.
    writeFileSync(join(t, 'tty.yml'), `
- hosts: all
  gather_facts: false
  tasks:
    - name: pid
      debug: { msg: "pid {{ lookup('file', '/proc/self/stat').split(' ')[0] }}" }
    - name: a loop
      debug: { msg: "{{ item }}" }
      loop: [one, two]
    - name: skipped
      debug: { msg: never }
      when: false
`)
    const tty = { columns: 100, rows: 30 }
    const onTerminal = (env: Record<string, string> = {}): Promise<PghaResult> =>
      pgha(['run', 'tty.yml', '-i', 'inv'], { runtime, cwd: t, tty, env: { NO_COLOR: '', ...env } })
    const own = await onTerminal({ PGHA_PERSIST: '0' })
    expect(own.code, own.stdout).toBe(0)
    expect((await onTerminal()).code).toBe(0)
    const server = await serverOf(runtime)
    const served = await onTerminal()
    expect(served.code, served.stdout).toBe(0)
    expect(served.stdout).toContain(`=> pid ${server}\r\n`)
    expect(own.stdout).toContain('\x1b[1mPLAY RECAP')
    // The same bytes, but for the pid and the timings.
    const same = (out: string): string => out.replace(/pid \d+/, 'pid P').replace(/\d+(\.\d+)?m?s\b/g, 'T')
    expect(same(served.stdout)).toBe(same(own.stdout))
  })

  it('asks a vars_prompt on the terminal in the client, which runs the command itself; the server stays and serves the next', async () => {
    const q = project('q', 'alpha')
    writeFileSync(join(q, 'ask.yml'), `
- hosts: all
  gather_facts: false
  vars_prompt:
    - name: who
      prompt: Who are you
      private: false
  tasks:
    - name: hello
      debug: { msg: "hello {{ who }} from {{ lookup('file', '/proc/self/stat').split(' ')[0] }}" }
`)
    expect((await run(q)).code).toBe(0)
    const server = await serverOf(runtime)
    let answered = false
    const asked = await pgha(['run', 'ask.yml', '-i', 'inv', '-o', 'plain'], {
      runtime, cwd: q, tty: { columns: 100, rows: 30 }, onOutput: (out, child) => {
        if (answered || !out.includes('Who are you')) return
        answered = true
        child.stdin!.write('bob\n')
      },
    })
    expect(asked.code, asked.stdout).toBe(0)
    const m = /hello bob from (\d+)/.exec(asked.stdout)
    expect(m, asked.stdout).not.toBeNull()
    // Rendered by the client's own process: the server declined, before it had written anything.
    expect(Number(m![1])).not.toBe(server)
    expect(serverPids(runtime)).toEqual([server])
    expect(ancestors(await run(q))).toContain(server)
  })

  it('sees a playbook edited between two served runs, even to the same size within the same second', async () => {
    const c = project('c', 'alpha')
    expect((await run(c)).code).toBe(0)
    const server = await serverOf(runtime)
    const before = await run(c)
    expect(ancestors(before)).toContain(server)
    expect(before.stdout).toContain('=> alpha')
    const play = join(c, 'play.yml')
    writeFileSync(play, readFileSync(play, 'utf8').replace('alpha', 'omega'))
    writeFileSync(join(c, 'files', 'note.txt'), 'note of C\n')
    const after = await run(c)
    expect(ancestors(after)).toContain(server)
    expect(after.stdout).toContain('=> omega')
    expect(after.stdout).not.toContain('alpha')
    expect(readFileSync(join(c, 'copied.txt'), 'utf8')).toBe('note of C\n')
  })

  it('creates files with the client\'s umask, not the one of the client that started the server', async () => {
    const h = project('h', 'alpha')
    writeFileSync(join(h, 'touch.yml'), `- hosts: all\n  gather_facts: false\n  tasks:\n    - file: { path: "${h}/{{ lookup('env', 'NAME') }}", state: touch }\n`)
    const touch = (name: string, umask: string, env: Record<string, string> = {}): Promise<PghaResult> =>
      pgha(['run', 'touch.yml', '-i', 'inv'], { runtime, cwd: h, umask, env: { NAME: name, ...env } })
    expect((await touch('first', '022')).code).toBe(0)
    const server = await serverOf(runtime)
    const own = await touch('own', '077', { PGHA_PERSIST: '0' })
    const served = await touch('served', '077')
    const after = await touch('after', '022')
    for (const r of [own, served, after]) expect(r.code, r.stderr).toBe(0)
    expect(serverPids(runtime)).toEqual([server])
    const mode = (name: string): string => (statSync(join(h, name)).mode & 0o777).toString(8)
    // Served with umask 077, the file is private, as in a run of its own (the server was started under 022).
    expect([mode('first'), mode('own'), mode('served'), mode('after')]).toEqual(['644', '600', '600', '644'])
  })

  it('ends a served run at a second Ctrl-C at once, and the server with it, as a run of its own ends', async () => {
    const e = project('e', 'alpha')
    writeFileSync(join(e, 'long.yml'), '- hosts: all\n  gather_facts: false\n  tasks:\n    - name: long\n      command: sleep 20\n')
    expect((await run(e)).code).toBe(0)
    const server = await serverOf(runtime)
    let sent = 0
    const r = await pgha(['run', 'long.yml', '-i', 'inv', '-o', 'plain'], {
      runtime, cwd: e, onOutput: (out, child) => {
        if (sent !== 0 || !out.includes('TASK [long]')) return
        sent = Date.now()
        child.kill('SIGINT')
        setTimeout(() => child.kill('SIGINT'), 300)
      },
    })
    expect(r.code, r.stdout + r.stderr).toBe(130)
    expect(Date.now() - sent).toBeLessThan(3_000)
    expect(r.stderr + r.stdout).toContain('Ctrl-C again to quit now')
    // The command called process.exit: the server ends, as the command's own process would have. It must
    // not live on (it once looped on its own exit, at full CPU, and held every later client).
    await waitFor('the server to end', () => !isRunning(server), 5_000)
    const next = await run(e)
    expect(next.code, next.stderr).toBe(0)
    expect(ancestors(next)).toContain(next.pid)
  })

  it('runs a command in its own process while the server is busy with another, both to the end', async () => {
    const f = project('f', 'alpha')
    writeFileSync(join(f, 'slow.yml'), '- hosts: all\n  gather_facts: false\n  tasks:\n    - name: slow\n      command: sleep 2\n')
    expect((await run(f)).code).toBe(0)
    const server = await serverOf(runtime)
    let second: Promise<PghaResult> | undefined
    const first = await pgha(['run', 'slow.yml', '-i', 'inv', '-o', 'plain'], {
      runtime, cwd: f, onOutput: (out) => {
        if (!second && out.includes('TASK [slow]')) second = run(f, { MARKER: 'second' })
      },
    })
    const other = await second!
    expect(first.code, first.stderr).toBe(0)
    expect(other.code, other.stderr).toBe(0)
    // Declined: the second ran in its own process (its task shell descends from it) and saw its own env.
    expect(ancestors(other)).toContain(other.pid)
    expect(ancestors(other)).not.toContain(server)
    expect(said(other, 'marker')).toBe('second')
    expect(serverPids(runtime)).toEqual([server])
  })

  it('replaces a server killed with SIGKILL: its socket is left, the next run runs itself and leaves a new one', async () => {
    const g = project('g', 'alpha')
    expect((await run(g)).code).toBe(0)
    const killed = await serverOf(runtime)
    process.kill(killed, 'SIGKILL')
    await waitFor('the killed server to go', () => !isRunning(killed))
    expect(sockets(runtime)).toHaveLength(1) // a socket no one answers on
    const alone = await run(g)
    expect(alone.code, alone.stderr).toBe(0)
    expect(alone.stderr).toBe('')
    expect(ancestors(alone), `${alone.pid} ${alone.stdout}`).toContain(alone.pid)
    const fresh = await serverOf(runtime)
    expect(fresh).not.toBe(killed)
    const served = await run(g)
    expect(ancestors(served), `${fresh} ${served.pid} ${served.stdout}`).toContain(fresh)
  })

  it('runs a command itself when the server accepts but is not ready (stopped), and that server never runs it', async () => {
    const f = project('f', 'alpha')
    const log = join(f, 'ran.log')
    writeFileSync(join(f, 'once.yml'), `- hosts: all\n  gather_facts: false\n  tasks:\n    - shell: echo $PPID >> ${log}\n`)
    expect((await run(f)).code).toBe(0)
    const server = await serverOf(runtime)
    process.kill(server, 'SIGSTOP')
    let r: PghaResult
    try {
      r = await pgha(['run', 'once.yml', '-i', 'inv', '-o', 'plain'], { runtime, cwd: f })
    } finally {
      process.kill(server, 'SIGCONT')
    }
    expect(r.code, r.stderr).toBe(0)
    // Not a hang: the client waited for `ready` about 2 s, then ran it.
    expect(r.ms).toBeLessThan(15_000)
    // The server, going on, finds the connection gone: the command ran once, and the server serves again.
    expect(ancestors(await run(f))).toContain(server)
    expect(readFileSync(log, 'utf8').trim().split('\n')).toHaveLength(1)
  })

  it('never runs a command again when its server dies before writing anything (--output json writes at the end)', async () => {
    const k = project('k', 'alpha')
    const log = join(k, 'ran.log')
    writeFileSync(join(k, 'once.yml'), `- hosts: all\n  gather_facts: false\n  tasks:\n    - shell: echo ran >> ${log}; sleep 3\n`)
    expect((await run(k)).code).toBe(0)
    const server = await serverOf(runtime)
    const running = pgha(['run', 'once.yml', '-i', 'inv', '-o', 'json'], { runtime, cwd: k })
    await waitFor('the task to start', () => existsSync(log))
    process.kill(server, 'SIGKILL')
    const r = await running
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr).toContain('ERROR: the pgha run server ended before the run did')
    expect(readFileSync(log, 'utf8')).toBe('ran\n')
  })

  it('gives the client the exit code and stderr of a failed run, as a run in its own process does', async () => {
    const d = project('d', 'alpha')
    writeFileSync(join(d, 'fail.yml'), '- hosts: all\n  gather_facts: false\n  tasks:\n    - fail: { msg: "it broke" }\n')
    const failing = (env: Record<string, string> = {}): Promise<PghaResult> =>
      pgha(['run', 'fail.yml', '-i', 'inv', '-o', 'plain'], { runtime, cwd: d, env })
    const own = await failing({ PGHA_PERSIST: '0' })
    expect(serverPids(runtime)).toEqual([]) // PGHA_PERSIST=0 left none
    expect(own.code).not.toBe(0)
    expect((await run(d)).code).toBe(0)
    const server = await serverOf(runtime)
    const served = await failing()
    expect(isRunning(server)).toBe(true)
    expect(served.code).toBe(own.code)
    expect(served.stdout.replace(/elapsed .*/, '')).toBe(own.stdout.replace(/elapsed .*/, ''))
    expect(served.stderr).toBe(own.stderr)
    // A bad input: the usage error's code and file:line:col come through the server too.
    writeFileSync(join(d, 'bad.yml'), '- hosts: all\n  tasks:\n    - nosuchmodule: {}\n')
    const bad = (env: Record<string, string> = {}): Promise<PghaResult> => pgha(['run', 'bad.yml', '-i', 'inv'], { runtime, cwd: d, env })
    const [badOwn, badServed] = [await bad({ PGHA_PERSIST: '0' }), await bad()]
    expect(badServed.code).toBe(badOwn.code)
    expect(badServed.stderr).toBe(badOwn.stderr)
    expect(badServed.stderr).toContain('bad.yml:3:')
    expect(serverPids(runtime)).toEqual([server])
  })
})
