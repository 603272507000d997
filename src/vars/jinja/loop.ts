// The `loop` variable inside `{% for %}`: index, index0, revindex, revindex0, first, last, length,
// previtem, nextitem, depth, depth0, loop.cycle(...) and loop.changed(...); in a `recursive` loop,
// `loop(items)` renders the loop's body over other items, one level deeper.
import { ValueError } from './values.js'

/** What one loop keeps across its iterations: the value loop.changed() saw last, and its recursion. */
export interface LoopState {
  lastChanged?: { value: unknown }
  /** A recursive loop's body over other items, one level deeper, as text. */
  recurse?: (items: unknown) => string
}

const loops = new WeakMap<object, LoopState>()

export const isLoop = (v: unknown): boolean => typeof v === 'object' && v !== null && loops.has(v)

/** The state of the loop a loop variable belongs to. */
export const loopState = (v: object): LoopState => loops.get(v) ?? {}

/** `loop(items)`: only a recursive loop can be called, with one argument, as in Jinja2. */
export function recurse(loop: object, args: unknown[]): string {
  const r = loopState(loop).recurse
  if (!r) throw new ValueError("The loop must have the 'recursive' marker to be called recursively.")
  if (args.length !== 1) throw new ValueError(`loop() takes 1 positional argument but ${args.length} were given`)
  return r(args[0])
}

/** The loop variable for item `i` of `items` at recursion `depth0`, sharing `state` with the loop's other iterations. */
export function loopInfo(items: readonly unknown[], i: number, state: LoopState = {}, depth0 = 0): Record<string, unknown> {
  const n = items.length
  const info: Record<string, unknown> = {
    index: i + 1,
    index0: i,
    revindex: n - i,
    revindex0: n - i - 1,
    first: i === 0,
    last: i === n - 1,
    length: n,
    depth: depth0 + 1,
    depth0,
  }
  if (i > 0) info.previtem = items[i - 1]
  if (i < n - 1) info.nextitem = items[i + 1]
  loops.set(info, state)
  return info
}
