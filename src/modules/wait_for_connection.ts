// wait_for_connection: waits until pgha can log in to the host and run a command there again (after a
// reboot, a network change, sshd restarting). The first try runs the command over the host's connection
// when one is open, bounded by connect_timeout: a host that answers there costs no login. Otherwise, and
// on every later try, the host's connection is dropped and a fresh login made, with connect_timeout
// bounding it, as Ansible's action plugin does on every try. A trivial command stands in for Ansible's
// ping module (pgha needs no python on the host). Every wait is bounded by `timeout`.
import { z } from 'zod'
import { defineModule, type ModuleContext, type Plan } from './types.js'
import { intElement } from './lib/list-param.js'
import { bounded, elapsedSince, pause, reason, untilSuccess } from './lib/until-up.js'

const seconds = (d: string, def: number) => intElement.pipe(z.number().nonnegative()).default(def).describe(d)

const params = z
  .object({
    connect_timeout: seconds('Seconds one login (or the first command over an open connection) may take.', 5),
    delay: seconds('Seconds to wait before the first try.', 0),
    sleep: seconds('Seconds between tries.', 1),
    timeout: seconds('Seconds to keep trying before failing.', 600),
  })
  .strict()

type Params = z.output<typeof params>

/**
 * One try: over the open connection when `reuse` and there is one, then (when there is none, or it fails)
 * a fresh login if the connection can be renewed, then a command that must run.
 */
async function tryOnce(ctx: ModuleContext, p: Params, leftMs: number, reuse: boolean): Promise<void> {
  const end = Date.now() + leftMs
  const connectMs = (): number => Math.min(p.connect_timeout * 1000, end - Date.now())
  if (reuse && ctx.link?.useOpen()) {
    const ms = connectMs()
    try {
      return await bounded(runs(ctx, ms), ms, `the connection to ${ctx.host}`)
    } catch {
      // Dead or stuck (the host rebooted, its address moved): a fresh login below says more.
    }
  }
  // Always there when the engine runs the module (it does not connect first: logsInItself); a test may leave it out.
  if (ctx.link) {
    const ms = connectMs()
    await bounded(ctx.link.reconnect(ms), ms, `the login to ${ctx.host}`)
  }
  await runs(ctx, end - Date.now())
}

async function runs(ctx: ModuleContext, timeoutMs: number): Promise<void> {
  const r = await ctx.exec('true', { timeoutMs })
  if (r.rc !== 0) throw new Error(`the host did not run a command: ${(r.stderr || r.stdout).trim() || `exit ${r.rc}`}`)
}

export default defineModule({
  name: 'wait_for_connection',
  description: 'Wait until the host runs a command (over its open connection, else each try logs in afresh), up to timeout seconds.',
  params,
  logsInItself: true,
  async plan(ctx, p): Promise<Plan> {
    // As Ansible's: nothing to preview, and waiting for what the run did not do could only time out.
    if (ctx.check) return { changes: [], result: { skipped: true } }
    const started = Date.now()
    await pause(ctx, p.delay * 1000)
    let tries = 0
    const outcome = await untilSuccess(ctx, p.timeout * 1000, () => p.sleep * 1000, (left) => tryOnce(ctx, p, left, tries++ === 0))
    const elapsed = elapsedSince(started)
    if (!outcome.ok) return { changes: [], result: { failed: true, msg: `timed out waiting for ping module test: ${reason(outcome.error)}`, elapsed } }
    return { changes: [], result: { elapsed } }
  },
})
