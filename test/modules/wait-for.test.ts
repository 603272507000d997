// wait_for against this machine: real probes of loopback ports and files, waits that end when the
// condition turns true, timeouts, and Ctrl-C ending a wait at once.
import { createServer, type Server } from 'node:net'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fakeClock, interruptWhileWaiting } from './harness.js'
import { runLocal } from './local-host.js'

const dir = mkdtempSync(join(tmpdir(), 'pgha-wait-'))
let server: Server
let port = 0
let closedPort = 0

beforeAll(async () => {
  server = createServer((s) => s.end())
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  port = (server.address() as { port: number }).port
  const probe = createServer()
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r))
  closedPort = (probe.address() as { port: number }).port
  await new Promise((r) => probe.close(r))
})
afterAll(() => {
  server.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('wait_for on a real host', () => {
  it('sees a listening port at once and a closed one as stopped', async () => {
    const clock = fakeClock()
    const up = await runLocal('wait_for', { port, timeout: 5 }, { sleep: clock.sleep })
    expect(up.result).toMatchObject({ state: 'started', port })
    expect(up.result.failed).toBeUndefined()
    expect(clock.sleeps).toEqual([]) // seen at the first probe: no wait
    expect(up.host.commands).toHaveLength(1)
    const down = await runLocal('wait_for', { port: closedPort, state: 'stopped', timeout: 5 })
    expect(down.result.failed).toBeUndefined()
  })

  it('probes every `sleep` seconds until the timeout, then fails naming what it waited for', async () => {
    const clock = fakeClock()
    const { result, host } = await runLocal('wait_for', { port: closedPort, timeout: 1, sleep: 0.2 }, { sleep: clock.sleep })
    expect(result).toMatchObject({ failed: true, elapsed: 1, msg: `Timeout when waiting for 127.0.0.1:${closedPort} to be started` })
    expect(clock.sleeps).toEqual([200, 200, 200, 200, 200])
    expect(host.commands).toHaveLength(6) // at 0, 0.2, ... 1.0 s
  })

  it('keeps probing a file until it contains the regex', async () => {
    const log = join(dir, 'postgresql.log')
    writeFileSync(log, 'starting\n')
    // The server becomes ready during the third wait: the file exists from the start but matches only then.
    const clock = fakeClock((n) => n === 3 && writeFileSync(log, 'starting\nLOG:  database system is ready to accept connections\n'))
    const { result, host } = await runLocal('wait_for', { path: log, search_regex: 'ready to accept (read-only )?connections', timeout: 10, sleep: 0.1 }, { sleep: clock.sleep })
    expect(result.failed).toBeUndefined()
    expect(clock.sleeps).toEqual([100, 100, 100])
    expect(host.commands).toHaveLength(4)
  })

  it('ends with "interrupted" when the run is interrupted while it waits between probes', async () => {
    const ac = new AbortController()
    // 30 s between probes: only the interrupt can end the wait within the test's time.
    await expect(runLocal('wait_for', { path: join(dir, 'never'), timeout: 60, sleep: 30 }, { signal: ac.signal, sleep: interruptWhileWaiting(ac) }))
      .rejects.toThrow('interrupted while waiting')
  })
})
