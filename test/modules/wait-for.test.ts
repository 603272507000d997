// wait_for against this machine: real probes of loopback ports and files, waits that end when the
// condition turns true, timeouts, and Ctrl-C ending a wait at once.
import { createServer, type Server } from 'node:net'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
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
    const up = await runLocal('wait_for', { port, timeout: 5 })
    expect(up.result).toMatchObject({ state: 'started', elapsed: 0 })
    expect(up.result.failed).toBeUndefined()
    const down = await runLocal('wait_for', { port: closedPort, state: 'stopped', timeout: 5 })
    expect(down.result.failed).toBeUndefined()
  })

  it('fails after the timeout when nothing listens', async () => {
    const t0 = Date.now()
    const { result } = await runLocal('wait_for', { port: closedPort, timeout: 1, sleep: 0.2 })
    expect(result).toMatchObject({ failed: true, msg: `Timeout when waiting for 127.0.0.1:${closedPort} to be started` })
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900)
  })

  it('waits until a file contains the regex', async () => {
    const log = join(dir, 'postgresql.log')
    writeFileSync(log, 'starting\n')
    setTimeout(() => writeFileSync(log, 'starting\nLOG:  database system is ready to accept connections\n'), 400)
    const t0 = Date.now()
    const { result } = await runLocal('wait_for', { path: log, search_regex: 'ready to accept (read-only )?connections', timeout: 10, sleep: 0.1 })
    expect(result.failed).toBeUndefined()
    expect(Date.now() - t0).toBeGreaterThanOrEqual(350)
  })

  it('stops waiting at once on interrupt', async () => {
    const ac = new AbortController()
    setTimeout(() => ac.abort(), 200)
    const t0 = Date.now()
    await expect(runLocal('wait_for', { path: join(dir, 'never'), timeout: 60, sleep: 30 }, { signal: ac.signal })).rejects.toThrow('interrupted')
    expect(Date.now() - t0).toBeLessThan(2000)
  })
})
