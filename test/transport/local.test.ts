// LocalTransport on this machine: same contract as ssh (rc/stdout/stderr, env/cwd, stdin, timeouts that
// kill the whole process group, atomic writes, become through sudo).
import { execFileSync } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync, chmodSync } from 'node:fs'
import { tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { LocalTransport, openTransport } from '../../src/transport/index.js'
import { PghaError, TimeoutError } from '../../src/errors.js'
import { isRunning } from '../processes.js'

const t = new LocalTransport({ host: 'localhost' })
const dir = mkdtempSync(join(tmpdir(), 'pgha-local-'))
const haveSudo = existsSync('/usr/bin/sudo') && userInfo().uid === 0

describe('LocalTransport', () => {
  it('is what openTransport returns for connection: local', () => {
    const spec = { host: 'localhost', connection: 'local', address: '127.0.0.1', port: 22, user: 'root', connectTimeoutMs: 1000 } as const
    expect(openTransport(spec)).toBeInstanceOf(LocalTransport)
  })

  it('runs commands with rc, separate streams, env, cwd and exact stdin', async () => {
    expect(await t.exec(`printf out; printf err >&2; exit 4`)).toEqual({ rc: 4, stdout: 'out', stderr: 'err' })
    expect((await t.exec('pwd; echo "$V"', { cwd: dir, env: { V: `x 'y' $z` } })).stdout).toBe(`${dir}\nx 'y' $z\n`)
    expect((await t.exec('cat', { stdin: 'no newline' })).stdout).toBe('no newline')
  })

  it('runs a script longer than one command-line argument may be (128 KiB on Linux)', async () => {
    const body = 'z'.repeat(300_000)
    expect(await t.exec(`cat <<'EOF' | wc -c\n${body}\nEOF`)).toEqual({ rc: 0, stdout: '300001\n', stderr: '' })
  })

  it('runs commands side by side: one waiting for another does not hold it up', async () => {
    const flag = join(dir, 'side-by-side')
    const waiting = t.exec(`while [ ! -e ${flag} ]; do sleep 0.02; done; echo waited`)
    expect(await t.exec(`touch ${flag}; echo made`)).toEqual({ rc: 0, stdout: 'made\n', stderr: '' })
    expect(await waiting).toEqual({ rc: 0, stdout: 'waited\n', stderr: '' })
  })

  it('replaces a shell that a command ended, and each command keeps to itself (cd, variables, exit)', async () => {
    const lost = await t.exec('kill -9 $$').catch((e: unknown) => e)
    expect(lost).toBeInstanceOf(PghaError)
    expect((lost as Error).message).toBe('the local shell on localhost exited unexpectedly')
    expect(await t.exec(`cd ${dir}; X=1; exit 3`)).toMatchObject({ rc: 3 })
    expect(await t.exec('pwd; echo "x$X"')).toEqual({ rc: 0, stdout: `${process.cwd()}\nx\n`, stderr: '' })
  })

  it('kills the whole process group on timeout', async () => {
    // The shell waits for a background child (a grandchild of the transport): both must be gone.
    const pids = join(dir, 'pids')
    const command = `sleep 30 & echo $$ $! > ${pids}; wait`
    await expect(t.exec(command, { timeoutMs: 300 })).rejects.toThrow(new TimeoutError(`command timed out after 0.3s: ${command}`))
    const [shell, child] = readFileSync(pids, 'utf8').trim().split(' ').map(Number)
    expect(shell).toBeGreaterThan(0)
    expect(child).toBeGreaterThan(0)
    expect(isRunning(shell)).toBe(false)
    // The background child got the same signal; it may take a moment longer than its shell to go.
    await vi.waitFor(() => expect(isRunning(child)).toBe(false), { timeout: 10_000 })
  })

  it('writes atomically, keeps mode, backs up, and keeps the old file when validate fails', async () => {
    const path = join(dir, 'conf')
    await t.writeFile(path, 'one\n')
    expect(statSync(path).mode & 0o777).toBe(0o644)
    chmodSync(path, 0o600)
    const { backupPath } = await t.writeFile(path, 'two\n', { backup: true })
    expect(readFileSync(path, 'utf8')).toBe('two\n')
    expect(statSync(path).mode & 0o777).toBe(0o600)
    expect(readFileSync(backupPath!, 'utf8')).toBe('one\n')
    const err = await t.writeFile(path, 'three\n', { validate: 'false %s' }).catch((e) => e)
    expect(err).toBeInstanceOf(PghaError)
    expect(err.message).toContain('file left unchanged')
    expect(readFileSync(path, 'utf8')).toBe('two\n')
    expect(readdirSync(dir).filter((f) => f.startsWith('.pgha-'))).toEqual([])
    const src = join(dir, 'src.bin')
    writeFileSync(src, Buffer.from([0, 255, 10]))
    await t.putFile(src, join(dir, 'copy.bin'), { mode: '0640' })
    expect((await t.readFile(join(dir, 'copy.bin')))!.equals(Buffer.from([0, 255, 10]))).toBe(true)
    expect(statSync(join(dir, 'copy.bin')).mode & 0o777).toBe(0o640)
    expect(await t.readFile(join(dir, 'nope'))).toBeUndefined()
  })

  it.skipIf(!haveSudo)("fails with sudo's own words when it will not run the shell", async () => {
    const err = await t.exec('id', { become: true, user: 'no-such-user-pgha' }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(PghaError)
    expect((err as Error).message).toMatch(/^sudo to no-such-user-pgha refused on localhost: .*unknown user/)
  })

  it.skipIf(!haveSudo)('becomes another user through sudo, for commands and files', async () => {
    expect(await t.exec('id -un; echo e >&2', { become: true, user: 'nobody' })).toEqual({ rc: 0, stdout: 'nobody\n', stderr: 'e\n' })
    const own = mkdtempSync(join(tmpdir(), 'pgha-local-nobody-'))
    chmodSync(own, 0o755)
    chownSync(own, Number(execFileSync('id', ['-u', 'nobody'], { encoding: 'utf8' })), 0)
    await t.writeFile(join(own, 'f'), 'mine\n', { become: true, user: 'nobody' })
    expect(statSync(join(own, 'f')).uid).not.toBe(0)
    expect((await t.readFile(join(own, 'f'), { become: true, user: 'nobody' }))?.toString()).toBe('mine\n')
  })
})

describe('LocalTransport.close', () => {
  it('ends the commands still running, as closing an SSH connection does (an interrupted run must not wait for them)', async () => {
    const t = new LocalTransport({ host: 'local' })
    const started = join(dir, 'close-started')
    const running = t.exec(`touch ${started}; sleep 30; echo finished`)
    await vi.waitFor(() => expect(existsSync(started)).toBe(true), { timeout: 10_000 })
    await t.close()
    // Only the close can end the 30 s sleep within the test's time; the command never reaches its echo.
    const r = await running
    expect(r.stdout).not.toContain('finished')
    expect(r.rc).toBe(143) // 128 + SIGTERM
  })
})
