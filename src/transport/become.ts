// Starting a become shell: `sudo -u USER sh` on a channel with a pty (sudoers `requiretty`, as on CentOS 7).
// The pty is put in raw mode without echo first, so nothing we send comes back, no CRLF translation and no
// canonical line limit. sudo's prompt is a random token we answer with the password once; a second prompt
// or sudo exiting before the ready token is a refusal, reported with sudo's own words, never the password.
import { PghaError } from '../errors.js'
import { scrub } from '../secrets/index.js'
import { shqAlways } from '../shell/index.js'
import { randomToken } from './random-token.js'
import type { ShellChannel } from './shell-session.js'

export interface BecomeRequest {
  host: string
  user: string
  password?: string
  /** Give up when sudo neither prompts nor starts the shell within this time. */
  timeoutMs: number
}

export interface BecomeScript {
  /** The command for an exec channel with a pty (not typed, so never echoed). */
  command: string
  prompt: string
  ready: string
}

/** A handshake's tokens: sudo's prompt, and the line the shell prints once it runs (`printReady`, in halves). */
export function becomeTokens(): Pick<BecomeScript, 'prompt' | 'ready'> & { printReady: string } {
  const prompt = `[pgha-sudo-${randomToken()}]`
  const ready = `pgha-ready-${randomToken()}`
  const half = ready.length >> 1
  return { prompt, ready, printReady: `printf '%s%s\\n' ${ready.slice(0, half)} ${ready.slice(half)}` }
}

export function becomeScript(user: string, password: string | undefined): BecomeScript {
  const { prompt, ready, printReady } = becomeTokens()
  const auth = password === undefined ? '-n' : `-S -p ${shqAlways(prompt)}`
  // The inner shell's stderr goes to /dev/null so sh is not interactive on the tty (no prompts, no
  // readline); every command's stderr is redirected to a file by the session anyway.
  const inner = `${printReady}; exec sh 2>/dev/null`
  return { command: `stty raw -echo || exit 1; exec sudo ${auth} -u ${shqAlways(user)} -- sh -c ${shqAlways(inner)}`, prompt, ready }
}

/**
 * Drives sudo on `channel` (already running `script.command`) until the inner shell is ready. Resolves with
 * the bytes that followed the ready line (for the session), rejects with PghaError('task', ...) on refusal.
 */
export function awaitBecome(channel: ShellChannel, script: Pick<BecomeScript, 'prompt' | 'ready'>, req: BecomeRequest): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let seen = Buffer.alloc(0)
    let prompts = 0
    let done = false
    const refuse = (why: string): void => {
      if (done) return
      done = true
      clearTimeout(timer)
      try {
        channel.end()
      } catch {
        // already closed
      }
      const msg = scrub(why, req.password === undefined ? [] : [req.password])
      reject(new PghaError('task', `sudo to ${req.user} refused on ${req.host}: ${msg}`))
    }
    const timer = setTimeout(() => {
      const said = tail(seen, script)
      refuse(`no answer from sudo within ${req.timeoutMs / 1000}s${said ? ` (${said})` : ''}`)
    }, req.timeoutMs)
    channel.on('data', (chunk: Buffer) => {
      if (done) return
      seen = Buffer.concat([seen, chunk])
      const text = seen.toString('utf8')
      const r = text.indexOf(script.ready)
      if (r >= 0) {
        const nl = seen.indexOf(0x0a, Buffer.byteLength(text.slice(0, r)))
        if (nl < 0) return
        done = true
        clearTimeout(timer)
        return resolve(seen.subarray(nl + 1))
      }
      const count = text.split(script.prompt).length - 1
      if (count > prompts) {
        prompts = count
        if (prompts > 1 || req.password === undefined) return refuse(`${tail(seen, script) || 'Sorry, try again.'} (the become password was not accepted)`)
        channel.write(`${req.password}\n`)
      }
    })
    channel.on('close', () => refuse(tail(seen, script) || 'sudo exited without starting a shell'))
  })
}

/** What sudo said, without our prompt tokens, on one line. */
function tail(seen: Buffer, script: Pick<BecomeScript, 'prompt'>): string {
  return seen
    .toString('utf8')
    .split(script.prompt)
    .join('\n')
    .split(/\r?\n|\r/)
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .join(' ')
    .slice(-300)
}
