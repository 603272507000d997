// The sudo handshake of become shells, driven by a scripted channel playing sudo's part.
import { EventEmitter } from 'node:events'
import { describe, expect, it, vi } from 'vitest'
import { awaitBecome, becomeScript } from '../../src/transport/become.js'
import type { ShellChannel } from '../../src/transport/shell-session.js'
import { track, useFakeClock } from '../fake-time.js'

class Sudo extends EventEmitter implements ShellChannel {
  readonly stdin: string[] = []
  ended = false
  write(d: string | Buffer): void {
    this.stdin.push(d.toString())
  }
  end(): void {
    this.ended = true
  }
  say(text: string): void {
    this.emit('data', Buffer.from(text))
  }
}

const req = { host: 'node1', user: 'root', password: 's3cret-pw', timeoutMs: 2000 }

describe('become through sudo', () => {
  it('puts the pty in raw no-echo mode before sudo, and uses -n without a password', () => {
    expect(becomeScript('postgres', undefined).command).toMatch(/^stty raw -echo \|\| exit 1; exec sudo -n -u 'postgres' -- sh -c /)
    const s = becomeScript('root', 'pw')
    expect(s.command).toContain(`sudo -S -p '${s.prompt}' -u 'root'`)
    expect(s.command).not.toContain('pw ')
    expect(s.command).not.toContain(s.ready) // printed in halves, so an echo could never look ready
  })

  it('answers the prompt once and hands over the bytes after the ready line', async () => {
    const ch = new Sudo()
    const script = becomeScript('root', req.password)
    const ready = awaitBecome(ch, script, req)
    ch.say('We trust you have received the usual lecture\r\n')
    ch.say(script.prompt.slice(0, 4))
    ch.say(script.prompt.slice(4))
    expect(ch.stdin).toEqual([`${req.password}\n`])
    ch.say(`\n${script.ready}\nrest`)
    expect((await ready).toString()).toBe('rest')
  })

  it('refuses at the second prompt (wrong password), without the password in the message', async () => {
    const ch = new Sudo()
    const script = becomeScript('root', req.password)
    const ready = awaitBecome(ch, script, req)
    ch.say(script.prompt)
    ch.say(`\nSorry, try again. ${req.password}\n${script.prompt}`)
    const err = await ready.catch((e: Error) => e)
    expect((err as Error).message).toBe('sudo to root refused on node1: Sorry, try again. ******** (the become password was not accepted)')
    expect(ch.stdin).toHaveLength(1)
    expect(ch.ended).toBe(true)
  })

  it("reports sudo's own words when it exits before the shell starts", async () => {
    for (const said of ['sudo: a password is required', 'deploy is not in the sudoers file.  This incident will be reported.']) {
      const ch = new Sudo()
      const ready = awaitBecome(ch, becomeScript('root', undefined), { ...req, password: undefined })
      ch.say(`${said}\r\n`)
      ch.emit('close')
      await expect(ready).rejects.toThrow(`sudo to root refused on node1: ${said}`)
    }
  })

  it('gives up when sudo has not answered within the timeout, not before', async () => {
    useFakeClock()
    const ch = new Sudo()
    const ready = track(awaitBecome(ch, becomeScript('root', 'x'), { ...req, timeoutMs: 200 }))
    await vi.advanceTimersByTimeAsync(199)
    expect(ready.settled).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect(ready.error).toEqual(expect.objectContaining({ message: expect.stringContaining('no answer from sudo within 0.2s') }))
  })
})
