// reboot: reboots the host and waits until it is back, as Ansible's action plugin does on Linux: reads the
// boot id, runs `shutdown -r MINUTES MSG` (or reboot_command), then logs in afresh (each try bounded by
// connect_timeout) until the boot id differs, then until test_command succeeds, each wait up to
// reboot_timeout. A host reached with the local connection is the controller: it is refused, never rebooted.
import { z } from 'zod'
import { UnreachableError, TimeoutError } from '../errors.js'
import { shq } from '../shell/index.js'
import { defineModule, type ModuleContext, type TaskResult } from './types.js'
import { intElement, listOf } from './lib/list-param.js'
import { absolutePathParam } from './lib/value-kinds.js'
import { bounded, elapsedSince, pause, untilSuccess } from './lib/until-up.js'

const seconds = (d: string, def: number) => intElement.transform((n) => Math.max(0, n)).default(def).describe(d)
const DEFAULT_SEARCH_PATHS = ['/sbin', '/bin', '/usr/sbin', '/usr/bin', '/usr/local/sbin']

const params = z
  .object({
    reboot_timeout: seconds('Seconds to wait, first for the new boot, then for test_command to succeed.', 600),
    connect_timeout: intElement.pipe(z.number().positive()).optional().describe("Seconds one login may take while waiting (default: the connection's)."),
    pre_reboot_delay: seconds('Seconds before the reboot, given to shutdown in whole minutes (under 60: at once).', 0),
    post_reboot_delay: seconds('Seconds to wait after the reboot command before checking the host.', 0),
    test_command: z.string().min(1).default('whoami').describe('Command that must succeed on the host after the reboot.'),
    msg: z.string().default('Reboot initiated by Ansible').describe('Message shutdown shows to logged-in users.'),
    reboot_command: z.string().min(1).optional().describe('Command (and arguments) that reboots, instead of shutdown -r; a bare name is looked up in search_paths.'),
    boot_time_command: z.string().min(1).default('cat /proc/sys/kernel/random/boot_id').describe('Command whose output changes at every boot.'),
    search_paths: listOf(absolutePathParam()).default(DEFAULT_SEARCH_PATHS).describe('Directories (absolute) to look for the shutdown command in.'),
  })
  .strict()

type Params = z.output<typeof params>

/** A failure of the task, with the result keys Ansible's plugin gives it. */
class Failed extends Error {
  constructor(message: string, readonly rebooted: boolean) {
    super(message)
  }
}

/** Ansible's retry pause: 2^n seconds, at most 12, plus up to a second of jitter (hosts do not retry in step). */
const backoff = (failures: number): number => Math.min(2 ** failures, 12) * 1000 + Math.floor(Math.random() * 1000)

/** The command line that reboots: shutdown (or reboot_command's program) found in search_paths, with its arguments. */
async function rebootCommand(ctx: ModuleContext, p: Params): Promise<string> {
  const given = p.reboot_command?.trim()
  const [bin, args] = given !== undefined
    ? [given.split(' ')[0]!, given.includes(' ') ? given.slice(given.indexOf(' ') + 1) : '']
    : ['shutdown', `-r ${Math.floor(p.pre_reboot_delay / 60)} ${shq(p.msg)}`]
  if (bin.startsWith('/')) return `${bin} ${args}`
  const look = p.search_paths.map((d) => `if [ -e ${shq(`${d}/${bin}`)} ]; then printf '%s\\n' ${shq(`${d}/${bin}`)}; exit 0; fi`).join('; ')
  const found = (await ctx.exec(look)).stdout.trim()
  if (!found) throw new Failed(`Unable to find command "${bin}" in search paths: [${p.search_paths.map((d) => `'${d}'`).join(', ')}]`, false)
  return `${found} ${args}`
}

async function bootId(ctx: ModuleContext, p: Params, timeoutMs?: number): Promise<string> {
  const r = await ctx.exec(p.boot_time_command, timeoutMs === undefined ? undefined : { timeoutMs })
  if (r.rc !== 0) throw new Failed(`reboot: failed to get host boot time info, rc: ${r.rc}, stdout: ${r.stdout}, stderr: ${r.stderr}`, false)
  return r.stdout.trim()
}

/** A fresh login, bounded by connect_timeout (or the connection's own) and the time left. */
async function relogin(ctx: ModuleContext, p: Params, leftMs: number): Promise<void> {
  if (!ctx.link) return
  const loginMs = Math.min(p.connect_timeout === undefined ? ctx.link.connectTimeoutMs : p.connect_timeout * 1000, leftMs)
  await bounded(ctx.link.reconnect(loginMs), loginMs, `the login to ${ctx.host}`)
}

/** Issues the reboot; a connection that drops before the command answers means the reboot is under way. */
async function issue(ctx: ModuleContext, command: string): Promise<void> {
  const limitMs = Math.max(ctx.link?.connectTimeoutMs ?? 0, 10_000)
  try {
    const r = await bounded(ctx.exec(command, { timeoutMs: limitMs }), limitMs, `the reboot command on ${ctx.host}`)
    if (r.rc !== 0) throw new Failed(`Reboot command failed. Error was: '${r.stdout.trim()}, ${r.stderr.trim()}'`, false)
  } catch (err) {
    if (!(err instanceof UnreachableError || err instanceof TimeoutError)) throw err
  }
}

async function waitForBoot(ctx: ModuleContext, p: Params, previous: string): Promise<void> {
  const timeoutMs = p.reboot_timeout * 1000
  const booted = await untilSuccess(ctx, timeoutMs, backoff, async (left) => {
    await relogin(ctx, p, left)
    const now = await bootId(ctx, p, left)
    if (now === '' || now === previous) throw new Error('boot time has not changed')
  })
  if (!booted.ok) throw new Failed(`Timed out waiting for last boot time check (timeout=${p.reboot_timeout})`, true)
  let relog = false
  const tested = await untilSuccess(ctx, timeoutMs, backoff, async (left) => {
    // After a failed try the host may have rebooted once more: log in again.
    if (relog) await relogin(ctx, p, left)
    relog = true
    const r = await ctx.exec(p.test_command, { timeoutMs: left })
    if (r.rc !== 0) throw new Error(`Test command failed: ${r.stderr} ${r.stdout}`)
    relog = false
  })
  if (!tested.ok) throw new Failed(`Timed out waiting for post-reboot test command (timeout=${p.reboot_timeout})`, true)
}

export default defineModule({
  name: 'reboot',
  description: 'Reboot the host and wait until it is back (new boot id, test_command succeeds); refused on the controller itself.',
  params,
  async plan(ctx) {
    if (ctx.link?.connection === 'local') {
      return { changes: [], result: { failed: true, rebooted: false, elapsed: 0, msg: 'Running reboot with local connection would reboot the control node.' } }
    }
    // Check mode: reported as changed and rebooted without rebooting, as Ansible's plugin reports it.
    return { changes: [{ description: `reboot ${ctx.host}` }], result: { rebooted: true, elapsed: 0 } }
  },
  async apply(ctx, p): Promise<Partial<TaskResult>> {
    let started = Date.now()
    try {
      const previous = await bootId(ctx, p)
      const command = await rebootCommand(ctx, p)
      await issue(ctx, command)
      started = Date.now()
      await pause(ctx, p.post_reboot_delay * 1000)
      await waitForBoot(ctx, p, previous)
    } catch (err) {
      if (!(err instanceof Failed)) throw err
      return { changed: false, failed: true, rebooted: err.rebooted, msg: err.message, elapsed: elapsedSince(started) }
    } finally {
      // Whatever was known of the host was of its previous boot.
      ctx.invalidate()
    }
    return { rebooted: true, elapsed: elapsedSince(started) }
  },
})
