// wait_for: waits, from the target host, until a TCP port answers (or stops answering, or has no
// established connections left) or a file appears (optionally containing a regex) or disappears.
// It changes nothing, so it waits inside plan; ctx.sleep makes Ctrl-C stop the wait at once.
import { z } from 'zod'
import { PghaError } from '../errors.js'
import { shq } from '../facts/index.js'
import { defineModule, type ModuleContext, type Plan } from './types.js'

const seconds = (d: string, def: number) => z.coerce.number().nonnegative().default(def).describe(d)

const params = z
  .object({
    host: z.string().default('127.0.0.1').describe('Host to connect to, as seen from the target host.'),
    port: z.coerce.number().int().min(1).max(65535).optional().describe('TCP port to check.'),
    path: z.string().optional().describe('File to check instead of a port.'),
    state: z.enum(['started', 'stopped', 'present', 'absent', 'drained']).default('started').describe('started/present: until it answers or exists; stopped/absent: until it does not; drained: until no established connection to port is left.'),
    search_regex: z.string().optional().describe('With path: wait until the file contains a match of this extended regex (grep -E).'),
    timeout: seconds('Seconds to wait before failing.', 300),
    delay: seconds('Seconds to wait before the first check.', 0),
    sleep: seconds('Seconds between checks.', 1),
    connect_timeout: seconds('Seconds one connection attempt may take.', 5),
    msg: z.string().optional().describe('Message on timeout instead of the default.'),
  })
  .strict()
  .refine((p) => p.port === undefined || p.path === undefined, { message: 'give port or path, not both' })
  .refine((p) => p.search_regex === undefined || p.path !== undefined, { message: 'search_regex needs path (reading from a port is not supported)' })
  .refine((p) => p.state !== 'drained' || p.port !== undefined, { message: 'state drained needs port' })

type Params = z.output<typeof params>

/** Exit status 0 when the port accepts a connection; 3 when the host has neither bash nor nc. */
function portProbe(p: Params): string {
  const t = Math.max(1, Math.ceil(p.connect_timeout))
  const h = shq(p.host)
  // dash has no /dev/tcp: use bash when the host has it, else nc.
  return `if command -v bash >/dev/null 2>&1; then timeout ${t} bash -c 'exec 3<>"/dev/tcp/$0/$1"' ${h} ${p.port} 2>/dev/null; elif command -v nc >/dev/null 2>&1; then nc -z -w ${t} ${h} ${p.port} 2>/dev/null; else exit 3; fi`
}

/** The check's sh text and whether rc 0 means "the wait is over". */
function probe(p: Params): { command: string; doneWhenZero: boolean } | undefined {
  if (p.path !== undefined) {
    const f = shq(p.path)
    const test = p.search_regex === undefined ? `test -e ${f}` : `grep -Eq -- ${shq(p.search_regex)} ${f} 2>/dev/null`
    return { command: test, doneWhenZero: p.state !== 'absent' && p.state !== 'stopped' }
  }
  if (p.port === undefined) return undefined
  if (p.state === 'drained') {
    return { command: `[ "$(ss -tn state established '( sport = :${p.port} )' 2>/dev/null | tail -n +2 | wc -l)" -eq 0 ]`, doneWhenZero: true }
  }
  return { command: portProbe(p), doneWhenZero: p.state === 'started' || p.state === 'present' }
}

const target = (p: Params) => (p.path !== undefined ? p.path : `${p.host}:${p.port}`)

async function check(ctx: ModuleContext, pr: { command: string; doneWhenZero: boolean }): Promise<boolean> {
  const r = await ctx.exec(pr.command)
  if (r.rc === 3) throw new PghaError('task', `wait_for needs bash or nc on ${ctx.host} to check a port`)
  return (r.rc === 0) === pr.doneWhenZero
}

async function pause(ctx: ModuleContext, ms: number): Promise<void> {
  await ctx.sleep(ms)
  if (ctx.signal.aborted) throw new PghaError('interrupted', 'interrupted while waiting')
}

export default defineModule({
  name: 'wait_for',
  description: 'Wait until a port answers, stops or drains, or a file appears (with a regex) or disappears, checked from the host.',
  params,
  async plan(ctx, p): Promise<Plan> {
    const started = Date.now()
    const elapsed = () => Math.round((Date.now() - started) / 1000)
    const pr = probe(p)
    const base = { state: p.state, port: p.port, path: p.path }
    if (!pr) {
      if (!ctx.check) await pause(ctx, p.timeout * 1000)
      return { changes: [], result: { ...base, elapsed: elapsed() } }
    }
    // Check mode started nothing, so waiting for what an earlier task would have started could only time out.
    if (ctx.check) {
      const done = await check(ctx, pr)
      return { changes: [], result: { ...base, elapsed: 0, msg: done ? undefined : `${target(p)} is not ${p.state} yet; a real run would wait up to ${p.timeout}s` } }
    }
    if (p.delay > 0) await pause(ctx, p.delay * 1000)
    for (;;) {
      if (await check(ctx, pr)) return { changes: [], result: { ...base, elapsed: elapsed() } }
      const left = p.timeout * 1000 - (Date.now() - started)
      if (left <= 0) {
        return { changes: [], result: { ...base, elapsed: elapsed(), failed: true, msg: p.msg ?? `Timeout when waiting for ${target(p)} to be ${p.state}` } }
      }
      await pause(ctx, Math.min(p.sleep * 1000, left))
    }
  },
})
