// Handshakes paced apart from forks: a thousand hosts at forks 1000 must not start a thousand handshakes
// at once (on a small controller every one of them then timed out), and a handshake that timed out in a
// crowd is tried again, a bounded number of times, while one that failed alone or was refused is not.
import { describe, expect, it } from 'vitest'
import { Connections } from '../../src/engine/connections.js'
import { HandshakePacer, handshakeLimit } from '../../src/engine/handshakes.js'
import { UnreachableError } from '../../src/errors.js'
import { FakeTransport, HandshakeCutShort } from '../../src/transport/index.js'
import type { ConnectionSpec } from '../../src/transport/types.js'

/** A promise settled from outside: a handshake the test finishes when it chooses. */
function deferred(): { promise: Promise<void>; resolve: () => void; reject: (err: Error) => void } {
  let resolve!: () => void
  let reject!: (err: Error) => void
  const promise = new Promise<void>((res, rej) => { resolve = res; reject = rej })
  return { promise, resolve, reject }
}

const flush = async (): Promise<void> => { for (let i = 0; i < 10; i++) await Promise.resolve() }
const timedOut = (host: string): HandshakeCutShort => new HandshakeCutShort(host, `cannot connect to ${host}: timed out after 10s`)
const noSleep = (): Promise<void> => Promise.resolve()

describe('handshake pacing', () => {
  it('keeps at most `limit` handshakes in flight however many hosts ask at once, and finishes them all', async () => {
    const pacer = new HandshakePacer({ limit: 4, retries: 2, backoffMs: 500, sleep: noSleep })
    const pending: ReturnType<typeof deferred>[] = []
    let peak = 0
    const all = Array.from({ length: 50 }, (_, i) => pacer.open(`h${i}`, () => {
      peak = Math.max(peak, pacer.running)
      const d = deferred()
      pending.push(d)
      return d.promise.then(() => i)
    }))
    await flush()
    expect(pending).toHaveLength(4)
    expect(pacer.waiting).toBe(46)
    while (pending.length) {
      pending.shift()!.resolve()
      await flush()
    }
    expect(await Promise.all(all)).toEqual(Array.from({ length: 50 }, (_, i) => i))
    expect(peak).toBe(4)
    expect(pacer.running).toBe(0)
  })

  it('retries a handshake that timed out while the pacer was full, says so, and succeeds', async () => {
    const said: string[] = []
    const waits: number[] = []
    const pacer = new HandshakePacer({ limit: 2, retries: 2, backoffMs: 500, onRetry: (h, m) => said.push(`${h}: ${m}`), sleep: async (ms) => { waits.push(ms) } })
    const other = deferred()
    const busy = pacer.open('b', () => other.promise)
    let attempts = 0
    const result = pacer.open('a', async () => {
      attempts++
      if (attempts === 1) throw timedOut('a')
      return 'connected'
    })
    expect(await result).toBe('connected')
    expect(attempts).toBe(2)
    expect(said).toEqual(['a: cannot connect to a: timed out after 10s while 2 handshakes at once (the most this machine takes) were under way: retrying (attempt 2 of 3)'])
    expect(waits).toEqual([500])
    other.resolve()
    await busy
  })

  it('counts a handshake that had to wait for its slot as crowded', async () => {
    const pacer = new HandshakePacer({ limit: 1, retries: 1, backoffMs: 500, sleep: noSleep })
    const first = deferred()
    const busy = pacer.open('b', () => first.promise)
    let attempts = 0
    const result = pacer.open('a', async () => { attempts++; if (attempts === 1) throw timedOut('a') })
    first.resolve()
    await Promise.all([busy, result])
    expect(attempts).toBe(2)
  })

  it('gives up after 1 + retries attempts, naming them in the error', async () => {
    const pacer = new HandshakePacer({ limit: 2, retries: 2, backoffMs: 500, sleep: noSleep })
    const other = deferred()
    const busy = pacer.open('b', () => other.promise)
    let attempts = 0
    const err = await pacer.open('a', async () => { attempts++; throw timedOut('a') }).catch((e: unknown) => e)
    expect(attempts).toBe(3)
    expect(err).toBeInstanceOf(UnreachableError)
    expect((err as Error).message).toBe('cannot connect to a: timed out after 10s while 2 handshakes at once (the most this machine takes) were under way; gave up after 3 attempts')
    other.resolve()
    await busy
  })

  it('does not retry below the limit: a small run loses one connect timeout to an unreachable host, as before', async () => {
    const pacer = new HandshakePacer({ limit: 8, retries: 2, backoffMs: 500, sleep: noSleep })
    const other = deferred()
    const busy = pacer.open('b', () => other.promise)
    let attempts = 0
    const err = await pacer.open('a', async () => { attempts++; throw timedOut('a') }).catch((e: unknown) => e)
    expect(attempts).toBe(1)
    expect((err as Error).message).toBe('cannot connect to a: timed out after 10s')
    other.resolve()
    await busy
  })

  it('does not retry a refusal (a wrong key, a refused port), crowded or not', async () => {
    const pacer = new HandshakePacer({ limit: 2, retries: 2, backoffMs: 500, sleep: noSleep })
    const other = deferred()
    const busy = pacer.open('b', () => other.promise)
    let attempts = 0
    const refused = new UnreachableError('a', 'cannot connect to a: authentication failed for app with key ~/.ssh/id_ed25519')
    const err = await pacer.open('a', async () => { attempts++; throw refused }).catch((e: unknown) => e)
    expect(attempts).toBe(1)
    expect(err).toBe(refused)
    other.resolve()
    await busy
  })

  it('sizes the limit to the machine: 16 handshakes per CPU, at least 8', () => {
    expect(handshakeLimit(2)).toBe(32)
    expect(handshakeLimit(16)).toBe(256)
    expect(handshakeLimit(0)).toBe(8)
  })
})

describe('connections through the pacer', () => {
  const spec = (host: string): ConnectionSpec => ({ host, connection: 'ssh', address: host, port: 22, user: 'app', connectTimeoutMs: 10_000 })

  it('opens a fresh transport for the retry, hands the connected one to every task of the host, and closes all', async () => {
    const made: FakeTransport[] = []
    let failFirst = true
    const gate = deferred()
    const connections = new Connections((s) => {
      const t = new FakeTransport(s.host)
      if (s.host === 'h1' && failFirst) {
        failFirst = false
        t.connect = () => gate.promise.then(() => { throw timedOut('h1') })
      } else if (s.host === 'h2') {
        t.connect = () => gate.promise.then(() => { t.connected = true })
      }
      made.push(t)
      return t
    }, { limit: 1, sleep: noSleep })
    const first = connections.get(spec('h1'))
    const second = connections.get(spec('h2'))
    const again = connections.get(spec('h1'))
    gate.resolve()
    const [t1, t2, t1again] = await Promise.all([first, second, again])
    expect(t1).toBe(t1again)
    expect((t1 as FakeTransport).connected).toBe(true)
    expect((t2 as FakeTransport).connected).toBe(true)
    expect(made.map((t) => t.host)).toEqual(['h1', 'h2', 'h1'])
    await connections.closeAll()
    expect(made.every((t) => !t.connected)).toBe(true)
  })

  it('resets a host without waiting for a login still under way, and closes that one when it ends', async () => {
    const gate = deferred()
    const made: FakeTransport[] = []
    const connections = new Connections((s) => {
      const t = new FakeTransport(s.host)
      if (made.length === 0) t.connect = () => gate.promise.then(() => { t.connected = true })
      made.push(t)
      return t
    }, { limit: 2, sleep: noSleep })
    const hanging = connections.get(spec('h1'))
    await connections.reset('h1') // returns although the login has not ended
    const fresh = await connections.get(spec('h1'))
    expect(fresh).toBe(made[1])
    expect(connections.generation('h1')).toBe(1)
    gate.resolve()
    await hanging
    await new Promise((r) => setImmediate(r))
    expect(made[0]!.connected).toBe(false) // closed as soon as its login ended
    expect(made[1]!.connected).toBe(true)
  })
})
