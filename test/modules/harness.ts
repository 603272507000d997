// Runs one module for one host as the engine does for a task: the module context the engine builds, the
// parameters parsed, plan, then apply unless check mode or nothing to change. Every module test that
// drives plan and apply directly (fixtures, local host, file host, pg as a become user) goes through here.
import { resolve } from 'node:path'
import { vi, onTestFinished } from 'vitest'
import { FactCache } from '../../src/facts/index.js'
import { createModuleContext, type ModuleContextOptions } from '../../src/engine/module-context.js'
import { getModule, normalizePlan, type ModuleContext, type Plan, type TaskResult } from '../../src/modules/index.js'
import { resolveAliases } from '../../src/modules/aliases.js'
import type { Become, Transport } from '../../src/transport/types.js'
import { renderString } from '../../src/vars/index.js'

export interface ModuleRunOptions {
  facts?: FactCache
  vars?: Record<string, unknown>
  check?: boolean
  become?: Become
  signal?: AbortSignal
  /** The project dir that holds files/ and templates/; without it a local path stays as given. */
  project?: string
  /** Stands in for ctx.sleep, given the context's own: a fake clock, or a sleep interrupted once it waits. */
  sleep?: (ms: number, own: (ms: number) => Promise<void>) => Promise<void>
  /** Called between plan and apply (to tell what the plan cost from what the apply did). */
  afterPlan?: () => void
  /** The host's connection as the engine gives it (reboot and wait_for_connection log in again through it). */
  link?: ModuleContextOptions['link']
}

export interface ModuleRun {
  plan: Plan
  /** The plan's result merged with the apply's. */
  result: Partial<TaskResult>
  /** What apply returned ({} for nothing); undefined when apply did not run. */
  applied?: Partial<TaskResult>
}

/** Plans `module` with `args` on `transport` and applies the plan unless check mode or it changes nothing. */
export async function runModule(module: string, args: Record<string, unknown>, transport: Transport, o: ModuleRunOptions = {}): Promise<ModuleRun> {
  const mod = getModule(module)
  if (!mod) throw new Error(`no module ${module}`)
  const vars = o.vars ?? {}
  const ctx: ModuleContext = createModuleContext({
    host: transport.host, transport, facts: o.facts ?? new FactCache(), vars, check: !!o.check,
    become: o.become ?? { become: false }, signal: o.signal ?? new AbortController().signal,
    render: (text, source) => renderString(text, vars, source),
    resolveLocal: (kind, p) => (o.project === undefined ? p : resolve(o.project, kind, p)),
    ...(o.link ? { link: o.link } : {}),
  })
  const { sleep } = o
  if (sleep) {
    const own = ctx.sleep
    ctx.sleep = (ms) => sleep(ms, own)
  }
  const params = mod.params.parse(resolveAliases(mod, args).args)
  const plan = normalizePlan(await mod.plan(ctx, params))
  o.afterPlan?.()
  const applied = !o.check && plan.changes.length > 0 && mod.apply ? ((await mod.apply(ctx, params, plan)) ?? {}) : undefined
  return { plan, result: { ...plan.result, ...applied }, applied }
}

export interface FakeClock {
  /** The time each ctx.sleep asked for, in ms, in order. */
  sleeps: number[]
  sleep(ms: number): Promise<void>
}

/**
 * A clock for modules that wait: Date.now stands still except when the module sleeps, and a sleep returns at
 * once after moving it on by what was asked. A test then checks the waits and the probes a module made, not
 * how long it took. `onSleep` runs at each sleep (its 1-based count), to change the world between probes.
 */
export function fakeClock(onSleep?: (n: number) => void): FakeClock {
  vi.useFakeTimers({ toFake: ['Date'] })
  onTestFinished(() => {
    vi.useRealTimers()
  })
  const sleeps: number[] = []
  return {
    sleeps,
    async sleep(ms) {
      sleeps.push(ms)
      vi.setSystemTime(Date.now() + ms)
      onSleep?.(sleeps.length)
    },
  }
}

/** Stands in for ctx.sleep: interrupts the run (aborts `ac`) once the module's wait has begun, so only the
 * interrupt can end that wait. */
export function interruptWhileWaiting(ac: AbortController): NonNullable<ModuleRunOptions['sleep']> {
  return (ms, own) => {
    const waiting = own(ms)
    ac.abort()
    return waiting
  }
}
