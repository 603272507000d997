// The `loop` variable inside `{% for %}`: index, index0, revindex, revindex0, first, last, length,
// previtem, nextitem, depth, depth0 (always 1 and 0: loops are not recursive), loop.cycle(...) and
// loop.changed(...).

/** What one loop keeps across its iterations: the value loop.changed() saw last. */
export interface LoopState {
  lastChanged?: { value: unknown }
}

const loops = new WeakMap<object, LoopState>()

export const isLoop = (v: unknown): boolean => typeof v === 'object' && v !== null && loops.has(v)

/** The state of the loop a loop variable belongs to. */
export const loopState = (v: object): LoopState => loops.get(v) ?? {}

/** The loop variable for item `i` of `items`, sharing `state` with the loop's other iterations. */
export function loopInfo(items: readonly unknown[], i: number, state: LoopState = {}): Record<string, unknown> {
  const n = items.length
  const info: Record<string, unknown> = {
    index: i + 1,
    index0: i,
    revindex: n - i,
    revindex0: n - i - 1,
    first: i === 0,
    last: i === n - 1,
    length: n,
    depth: 1,
    depth0: 0,
  }
  if (i > 0) info.previtem = items[i - 1]
  if (i < n - 1) info.nextitem = items[i + 1]
  loops.set(info, state)
  return info
}
