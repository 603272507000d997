// SIGTERM and SIGHUP stop a run the way SIGINT does: the file being written is finished or removed,
// never left half-written or as a temporary file beside it, and pgha exits 143, 129 (130 for SIGINT).
// While it happens, another process watches the target directory: no temporary file or target is ever
// seen with a mode wider than the 0600 the task asked for. Locally and over SSH (loopback sshd), for a
// large file (copied in pieces locally, by SFTP over SSH) and a write held up by its validate command.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BIN } from '../built.js'
import { haveSshd, startSshd, type TestSshd } from '../transport/sshd.js'
import { leftovers, project } from './hostile-project.js'

const BIG = 48 * 1024 * 1024

/** Watches `dir` until told to stop: the widest group/other permission bits seen on `name` or any `.pgha-*` file. */
function watchModes(dir: string, name: string): { stop: () => Promise<number> } {
  const script = `
    const fs = require('fs'), path = require('path'); const [dir, name] = process.argv.slice(1)
    let widest = 0, stop = false
    process.stdin.on('data', () => { stop = true })
    const tick = () => {
      for (const f of fs.readdirSync(dir)) {
        if (f !== name && !f.startsWith('.pgha-')) continue
        try { widest |= fs.lstatSync(path.join(dir, f)).mode & 0o077 } catch {}
      }
      if (stop) process.stdout.write(String(widest), () => process.exit(0)); else setImmediate(tick)
    }
    tick()`
  const child = spawn(process.execPath, ['-e', script, dir, name], { stdio: ['pipe', 'pipe', 'inherit'] })
  let out = ''
  child.stdout.on('data', (d: Buffer) => (out += d))
  const closed = new Promise<number>((resolve) => child.on('close', () => resolve(Number(out))))
  return {
    stop: () => {
      if (child.exitCode === null) child.stdin.write('stop\n')
      return closed
    },
  }
}

interface Running {
  child: ChildProcess
  output: () => string
  exit: Promise<number | null>
}

function start(args: string[], cwd: string): Running {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', CI: '1' }, stdio: ['ignore', 'pipe', 'pipe'] })
  let text = ''
  child.stdout!.on('data', (d: Buffer) => (text += d))
  child.stderr!.on('data', (d: Buffer) => (text += d))
  return { child, output: () => text, exit: new Promise((r) => child.on('close', (code) => r(code))) }
}

/** Resolves once `check` holds, polling; fails after `ms`. */
async function until(check: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 2))
  }
}

type Host = Record<string, string | number>

/** A project that writes `dest` (0600) from a large source file, or a small one held up by `validate`. */
function writeProject(host: Host, o: { big: boolean; validate?: string }) {
  const hostLine = `node1 ${Object.entries(host).map(([k, v]) => `${k}=${v}`).join(' ')}\n`
  const p = project({
    'inv.ini': hostLine,
    'site.yml': `- hosts: all
  gather_facts: false
  tasks:
    - copy: { ${o.big ? 'src: __DIR__/big.bin' : 'content: "secret config\\n"'}, dest: __DIR__/target/app.conf, mode: "0600"${o.validate ? `, validate: "${o.validate}"` : ''} }
    - command: touch __DIR__/target/NEXT_TASK_RAN
`,
    'target/.keep': '',
  }, 'signals')
  if (o.big) writeFileSync(p.path('big.bin'), Buffer.alloc(BIG, 'x'))
  return p
}

const SIGNALS: [NodeJS.Signals, number][] = [['SIGTERM', 143], ['SIGHUP', 129], ['SIGINT', 130]]

async function signalDuringWrite(host: Host, signal: NodeJS.Signals, o: { big: boolean; validate?: string; twice?: boolean }) {
  const p = writeProject(host, o)
  const target = p.path('target')
  const watcher = watchModes(target, 'app.conf')
  const run = start(['run', p.path('site.yml'), '-i', p.path('inv.ini')], p.dir)
  try {
    await until(() => leftovers(target).length > 0, 20_000, `a temporary file in ${target}\n${run.output()}`)
    run.child.kill(signal)
    if (o.twice) {
      await until(() => /another signal|Ctrl-C again/.test(run.output()), 10_000, 'the first signal to be taken')
      run.child.kill(signal)
    }
    const code = await run.exit
    // A command pgha ended gets a moment to run its trap after pgha itself has gone.
    await until(() => leftovers(target).length === 0, 5_000, 'the temporary file to be removed').catch(() => undefined)
    return { p, code, output: run.output(), widest: await watcher.stop(), target }
  } finally {
    run.child.kill('SIGKILL')
    await watcher.stop()
  }
}

function expectFinishedOrRemoved(r: Awaited<ReturnType<typeof signalDuringWrite>>, expected: string | Buffer, mustFinish?: boolean) {
  expect(leftovers(r.target), r.output).toEqual([])
  expect(r.widest, `a mode wider than 0600 was seen: ${r.widest.toString(8)}`).toBe(0)
  const dest = join(r.target, 'app.conf')
  if (mustFinish === true || (mustFinish === undefined && existsSync(dest))) {
    expect(readFileSync(dest).equals(Buffer.from(expected)), 'the file is whole').toBe(true)
    expect(statSync(dest).mode & 0o777).toBe(0o600)
  }
  if (mustFinish === false) expect(existsSync(dest)).toBe(false)
  // No new task started after the signal.
  expect(existsSync(join(r.target, 'NEXT_TASK_RAN'))).toBe(false)
}

const LOCAL: Host = { ansible_connection: 'local' }

describe('local host', () => {
  it.each(SIGNALS)('%s during a large copy: exit %i, the file whole or absent, never wider than 0600', async (signal, code) => {
    const r = await signalDuringWrite(LOCAL, signal, { big: true })
    expect(r.code, r.output).toBe(code)
    expectFinishedOrRemoved(r, Buffer.alloc(BIG, 'x'))
  }, 60_000)

  it.each(SIGNALS)('%s while validate runs (2 s): the write finishes, exit %i', async (signal, code) => {
    const r = await signalDuringWrite(LOCAL, signal, { big: false, validate: 'sleep 2; test -s %s' })
    expect(r.code, r.output).toBe(code)
    expectFinishedOrRemoved(r, 'secret config\n', true)
  }, 60_000)

  it('SIGTERM while validate hangs: after the grace the write is abandoned, its temp file removed, exit 143', async () => {
    const r = await signalDuringWrite(LOCAL, 'SIGTERM', { big: false, validate: 'sleep 60; true %s' })
    expect(r.code, r.output).toBe(143)
    expectFinishedOrRemoved(r, '', false)
  }, 60_000)

  it('a second SIGTERM quits at once: exit 143, no temp file left', async () => {
    const r = await signalDuringWrite(LOCAL, 'SIGTERM', { big: false, validate: 'sleep 60; true %s', twice: true })
    expect(r.code, r.output).toBe(143)
    expectFinishedOrRemoved(r, '', false)
  }, 60_000)
})

describe.skipIf(!haveSshd)('over SSH (loopback sshd)', () => {
  let sshd: TestSshd
  let host: Host
  beforeAll(async () => {
    sshd = await startSshd()
    host = { ansible_host: '127.0.0.1', ansible_port: sshd.port, ansible_user: 'root', ansible_ssh_private_key_file: sshd.keyFile, pgha_known_hosts_file: sshd.knownHosts }
  }, 120_000)
  afterAll(() => sshd?.stop())

  it.each(SIGNALS.slice(0, 2))('%s during a large SFTP write: exit %i, the file whole or absent, never wider than 0600', async (signal, code) => {
    const r = await signalDuringWrite(host, signal, { big: true })
    expect(r.code, r.output).toBe(code)
    expectFinishedOrRemoved(r, Buffer.alloc(BIG, 'x'))
  }, 60_000)

  it.each(SIGNALS.slice(0, 2))('%s while validate hangs on the host: temp file removed on the host, exit %i', async (signal, code) => {
    const r = await signalDuringWrite(host, signal, { big: false, validate: 'sleep 60; true %s' })
    expect(r.code, r.output).toBe(code)
    expectFinishedOrRemoved(r, '', false)
  }, 60_000)

  it('SIGTERM while validate runs (2 s) on the host: the write finishes, exit 143', async () => {
    const r = await signalDuringWrite(host, 'SIGTERM', { big: false, validate: 'sleep 2; test -s %s' })
    expect(r.code, r.output).toBe(143)
    expectFinishedOrRemoved(r, 'secret config\n', true)
  }, 60_000)
})
