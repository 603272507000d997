// Whether a node's sshd answers: a TCP connection to port 22 that yields the SSH banner.
import { connect } from 'node:net'
import { PghaError } from '../errors.js'
import { sleep } from './processes.js'

export function sshBanner(address: string, timeoutMs = 2_000, port = 22): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host: address, port, timeout: timeoutMs })
    let data = ''
    const done = (v: string | undefined) => {
      socket.destroy()
      resolve(v)
    }
    socket.on('data', (chunk) => {
      data += chunk.toString('latin1')
      const line = data.split('\r\n')[0] ?? ''
      if (data.includes('\n')) done(line.startsWith('SSH-') ? line : undefined)
    })
    socket.on('timeout', () => done(undefined))
    socket.on('error', () => done(undefined))
    socket.on('close', () => done(undefined))
  })
}

/** Polls until the banner comes, or throws after `timeoutMs`; `gone()` aborts early (the container died). */
export async function waitForSshd(name: string, address: string, timeoutMs: number, gone: () => string | undefined): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await sshBanner(address, 1_000)) return
    const why = gone()
    if (why) throw new PghaError('internal', `lab: ${name} stopped while booting:\n${why}`)
    await sleep(250)
  }
  throw new PghaError('timeout', `lab: ${name}'s sshd did not answer on ${address}:22 within ${Math.round(timeoutMs / 1000)} s`)
}
