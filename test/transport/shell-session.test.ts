// The shell protocol against a scripted channel (exact chunking control) and against a real local `sh`.
import { EventEmitter } from 'node:events'
import { spawn } from 'node:child_process'
import { describe, expect, it, vi } from 'vitest'
import { ShellSession, shellWithPid, type ShellChannel } from '../../src/transport/shell-session.js'
import { MERGED_INIT } from '../../src/transport/shell-command.js'
import { PghaError, TimeoutError, UnreachableError } from '../../src/errors.js'
import { track, useFakeClock } from '../fake-time.js'
import { CLEAN_RUN, runWithMarker } from './command-line-marker.js'

/** A channel whose output the test writes chunk by chunk; it records what the session sends. */
class ScriptedChannel extends EventEmitter implements ShellChannel {
  readonly written: string[] = []
  readonly stderr = new EventEmitter()
  ended = false
  write(data: string | Buffer): void {
    this.written.push(data.toString())
    this.emit('written')
  }
  end(): void {
    this.ended = true
  }
  /** The sentinel token of the n-th command written. */
  token(n = this.written.length - 1): string {
    const m = /printf '%s%s:%d\\n' (\w+) (\w+)/.exec(this.written[n])
    if (!m) throw new Error(`no sentinel in ${this.written[n]}`)
    return m[1] + m[2]
  }
  out(...chunks: (string | Buffer)[]): void {
    for (const c of chunks) this.emit('data', Buffer.from(c))
  }
  err(...chunks: (string | Buffer)[]): void {
    for (const c of chunks) this.stderr.emit('data', Buffer.from(c))
  }
  nextWrite(): Promise<void> {
    return new Promise((r) => this.once('written', r))
  }
}

const lost = (): Error => new UnreachableError('h', 'connection to h lost: test')

describe('shell framing (scripted channel)', () => {
  it('frames output without a trailing newline and sentinels split across chunks', async () => {
    const ch = new ScriptedChannel()
    const s = new ShellSession(ch, { mode: 'split', lost })
    const p = s.run('printf abc')
    await Promise.resolve()
    const t = ch.token()
    ch.out('ab', 'c', t.slice(0, 5), t.slice(5), ':4', '2\n')
    ch.err(`warn${t}:42`, '\n')
    expect(await p).toEqual({ rc: 42, stdout: 'abc', stderr: 'warn' })
  })

  it('keeps a UTF-8 character split across chunks and binary-ish bytes intact', async () => {
    const ch = new ScriptedChannel()
    const s = new ShellSession(ch, { mode: 'split', lost })
    const p = s.run('x')
    await Promise.resolve()
    const t = ch.token()
    const text = Buffer.from('héllo ✓\u0001\n')
    ch.out(text.subarray(0, 2), text.subarray(2, 9), text.subarray(9), `${t}:0\n`)
    ch.err(`${t}:0\n`)
    expect((await p).stdout).toBe('héllo ✓\u0001\n')
  })

  it('runs queued commands one at a time, in order, each with its own sentinel', async () => {
    const ch = new ScriptedChannel()
    const s = new ShellSession(ch, { mode: 'merged', lost })
    const a = s.run('a')
    const b = s.run('b')
    await Promise.resolve()
    expect(ch.written).toHaveLength(1) // b waits for a
    const ta = ch.token()
    const next = ch.nextWrite()
    ch.out(`A${ta}:0\nerrA${ta}:0\n`)
    await next
    const tb = ch.token()
    expect(tb).not.toBe(ta)
    // A stale token from a previous command is just output for the next one.
    ch.out(`B ${ta}:9\n${tb}:1\n${tb}:1\n`)
    expect(await a).toEqual({ rc: 0, stdout: 'A', stderr: 'errA' })
    expect(await b).toEqual({ rc: 1, stdout: `B ${ta}:9\n`, stderr: '' })
  })

  it('rejects pending and later commands when the channel closes', async () => {
    const ch = new ScriptedChannel()
    const s = new ShellSession(ch, { mode: 'split', lost })
    const p = s.run('sleep 100')
    ch.emit('close')
    await expect(p).rejects.toThrow(UnreachableError)
    await expect(s.run('true')).rejects.toThrow('connection to h lost')
    expect(s.closed).toBe(true)
  })

  it('gives a timed-out command up when the shell never answers, once the kill grace after the timeout is over', async () => {
    useFakeClock()
    const ch = new ScriptedChannel()
    const s = new ShellSession(ch, { mode: 'split', lost, killGraceMs: 50 })
    const p = track(s.run('sleep 100', { timeoutMs: 100 }))
    await vi.advanceTimersByTimeAsync(149)
    expect(p.settled).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect(p.error).toEqual(new TimeoutError('command timed out after 0.1s: sleep 100'))
    expect(ch.ended).toBe(true)
  })

  it('refuses an invalid environment variable name before sending anything', async () => {
    const ch = new ScriptedChannel()
    const s = new ShellSession(ch, { mode: 'split', lost })
    await expect(s.run('true', { env: { 'A;rm -rf /': 'x' } })).rejects.toThrow(PghaError)
    expect(ch.written).toHaveLength(0)
  })
})

/** A real local sh as the channel; merged mode sends the shell's stderr into stdout like a pty does. */
function localShell(mode: 'split' | 'merged'): { session: ShellSession; kill: () => void } {
  const child = spawn('sh', ['-c', mode === 'merged' ? 'exec sh 2>&1' : 'exec sh'], { stdio: 'pipe' })
  const channel: ShellChannel = {
    write: (d) => child.stdin.write(d),
    on: (ev: 'data' | 'close', fn: (c: Buffer) => void) => (ev === 'data' ? child.stdout.on('data', fn) : child.on('close', fn)),
    stderr: mode === 'split' ? child.stderr : undefined,
    end: () => child.stdin.end(),
  }
  const session = new ShellSession(channel, { mode, lost, init: mode === 'merged' ? MERGED_INIT : undefined })
  return { session, kill: () => child.kill('SIGKILL') }
}

describe('a shell that says its pid in its first line', () => {
  it('keeps the pid, and the first command gets exactly its own output, whatever the login shell printed before', async () => {
    // As sshd runs it: the login shell (which may print from its start-up files) runs the channel's command.
    const command = shellWithPid('pgha-pid-t3st')
    const child = spawn('bash', ['-c', `echo 'a banner from .bashrc'; printf 'no newline'; ${command}`], { stdio: 'pipe' })
    const channel: ShellChannel = {
      write: (d) => child.stdin.write(d),
      // Output handed over a byte at a time: the pid line may come in pieces.
      on: (ev: 'data' | 'close', fn: (c: Buffer) => void) => {
        if (ev === 'close') return child.on('close', fn)
        return child.stdout.on('data', (c: Buffer) => { for (const b of c) fn(Buffer.from([b])) })
      },
      stderr: child.stderr,
      end: () => child.stdin.end(),
    }
    const session = new ShellSession(channel, { mode: 'split', lost, pidMarker: 'pgha-pid-t3st' })
    try {
      expect(await session.run(`printf 'first'`)).toEqual({ rc: 0, stdout: 'first', stderr: '' })
      expect(session.pid).toBe(child.pid)
      expect(await session.run('echo $$')).toMatchObject({ stdout: `${child.pid}\n` })
    } finally {
      child.kill('SIGKILL')
    }
  })
})

describe.each(['split', 'merged'] as const)('shell protocol on a real sh (%s)', (mode) => {
  it('separates stdout and stderr, keeps exact bytes and the exit code', async () => {
    const { session, kill } = localShell(mode)
    try {
      expect(await session.run(`printf 'out'; printf 'err' >&2; exit 7`)).toEqual({ rc: 7, stdout: 'out', stderr: 'err' })
      expect(await session.run(`echo "$X" && pwd`, { env: { X: `a 'b' "c" $HOME` }, cwd: '/tmp' })).toEqual({
        rc: 0,
        stdout: `a 'b' "c" $HOME\n/tmp\n`,
        stderr: '',
      })
      const stdin = 'line1\nno newline at end ✓ PGHA_EOF_x'
      expect((await session.run('cat', { stdin })).stdout).toBe(stdin)
      // A syntax error or an `exit` affects only that command: the shell keeps serving.
      expect((await session.run('if then')).rc).not.toBe(0)
      expect((await session.run('exit 3')).rc).toBe(3)
      expect(await session.run('cd / && echo ok')).toEqual({ rc: 0, stdout: 'ok\n', stderr: '' })
      expect((await session.run('pwd')).stdout).not.toBe('/\n')
    } finally {
      kill()
    }
  })

  it("keeps a timed command's text, stdin and environment off every command line (ps shows them to all users)", async () => {
    const { session, kill } = localShell(mode)
    try {
      expect(await runWithMarker((command, o) => session.run(command, o), { timeoutMs: 60_000 })).toEqual(CLEAN_RUN)
      expect(await session.run('cat; echo e >&2; exit 5', { timeoutMs: 60_000, stdin: 'in' })).toEqual({ rc: 5, stdout: 'in', stderr: 'e\n' })
    } finally {
      kill()
    }
  })

  it('kills a timed-out command and stays usable', async () => {
    const { session, kill } = localShell(mode)
    try {
      // A 30 s sleep: only the kill can end it within the test's time, and the next command then runs.
      await expect(session.run('sleep 30; echo never', { timeoutMs: 300 })).rejects.toThrow(TimeoutError)
      expect(await session.run('echo alive')).toEqual({ rc: 0, stdout: 'alive\n', stderr: '' })
    } finally {
      kill()
    }
  })
})
