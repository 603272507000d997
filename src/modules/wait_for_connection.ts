// wait_for_connection: waits until pgha can log in to the host and run a command there again (after a
// reboot, a network change, sshd restarting). As Ansible's action plugin does, each try drops the host's
// connection and logs in afresh, with connect_timeout bounding the login; a trivial command stands in for
// Ansible's ping module (pgha needs no python on the host). Every wait is bounded by `timeout`.
import { z } from 'zod'
import { defineModule, type ModuleContext, type Plan } from './types.js'
import { intElement } from './lib/list-param.js'
import { bounded, elapsedSince, pause, reason, untilSuccess } from './lib/until-up.js'

const seconds = (d: string, def: number) => intElement.pipe(z.number().nonnegative()).default(def).describe(d)

const params = z
  .object({
    connect_timeout: seconds('Seconds one login may take.', 5),
    delay: seconds('Seconds to wait before the first try.', 0),
    sleep: seconds('Seconds between tries.', 1),
    timeout: seconds('Seconds to keep trying before failing.', 600),
  })
  .strict()

type Params = z.output<typeof params>

/** One try: a fresh login (when the connection can be renewed), then a command that must run. */
async function tryOnce(ctx: ModuleContext, p: Params, leftMs: number): Promise<void> {
  const loginMs = Math.min(p.connect_timeout * 1000, leftMs)
  // Always there when the engine runs the module (it does not connect first: logsInItself); a test may leave it out.
  if (ctx.link) await bounded(ctx.link.reconnect(loginMs), loginMs, `the login to ${ctx.host}`)
  const r = await ctx.exec('true', { timeoutMs: leftMs })
  if (r.rc !== 0) throw new Error(`the host did not run a command: ${(r.stderr || r.stdout).trim() || `exit ${r.rc}`}`)
}

export default defineModule({
  name: 'wait_for_connection',
  description: 'Wait until the host can be logged in to and runs a command (each try logs in afresh), up to timeout seconds.',
  params,
  logsInItself: true,
  async plan(ctx, p): Promise<Plan> {
    // As Ansible's: nothing to preview, and waiting for what the run did not do could only time out.
    if (ctx.check) return { changes: [], result: { skipped: true } }
    const started = Date.now()
    await pause(ctx, p.delay * 1000)
    const outcome = await untilSuccess(ctx, p.timeout * 1000, () => p.sleep * 1000, (left) => tryOnce(ctx, p, left))
    const elapsed = elapsedSince(started)
    if (!outcome.ok) return { changes: [], result: { failed: true, msg: `timed out waiting for ping module test: ${reason(outcome.error)}`, elapsed } }
    return { changes: [], result: { elapsed } }
  },
})
