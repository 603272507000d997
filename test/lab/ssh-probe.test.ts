import { createServer, type Server } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { sshBanner } from '../../src/lab/ssh-probe.js'

const servers: Server[] = []
function serve(greeting: string): Promise<number> {
  const server = createServer((s) => s.end(greeting))
  servers.push(server)
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)))
}
afterEach(() => { for (const s of servers.splice(0)) s.close() })

describe('sshBanner', () => {
  it('returns the banner line of an SSH server', async () => {
    expect(await sshBanner('127.0.0.1', 2_000, await serve('SSH-2.0-OpenSSH_9.2p1 Debian\r\n'))).toBe('SSH-2.0-OpenSSH_9.2p1 Debian')
  })

  it('is undefined for a server that is not SSH, and for a closed port', async () => {
    expect(await sshBanner('127.0.0.1', 2_000, await serve('HTTP/1.1 400 Bad Request\r\n'))).toBeUndefined()
    const port = await serve('')
    servers.pop()!.close()
    expect(await sshBanner('127.0.0.1', 2_000, port)).toBeUndefined()
  })
})
