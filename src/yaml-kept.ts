// A parsed YAML file as bytes for the disk cache (disk-cache.ts) and back: the value with every position
// the loader recorded (each mapping's and list's own, its entries' and keys'), so errors read from a kept
// parse point at the same file:line:col. V8's serializer keeps numbers as they are (NaN, -0), a value
// shared by a merge stays shared, and `__proto__:` stays an ordinary key. `!unsafe` text is written as
// its text and its place; a `!vault` value is never written (yaml-source.ts does not offer such a parse).
import { deserialize, serialize } from 'node:v8'
import type { SourceLocation } from './errors.js'
import { UnsafeText } from './vars/unsafe.js'

export interface Positions {
  self: SourceLocation
  /** Location of each key's value (mappings) or each item (sequences, keyed by index). */
  entries: Map<string | number, SourceLocation>
  /** Location of each key itself (mappings). */
  keys: Map<string, SourceLocation>
}

/** What is serialized: a copy of the value, the positions of its containers, its `!unsafe` strings. */
interface Kept {
  format: typeof FORMAT
  value: unknown
  positions: [object, Positions][]
  unsafe: [Record<string | number, unknown>, string | number, string][]
}

const FORMAT = 1

function isPlainMapping(v: object): v is Record<string, unknown> {
  const proto: unknown = Object.getPrototypeOf(v)
  return proto === Object.prototype || proto === null
}

/** `value` (a mapping or list, as parseYaml returned it) as bytes; undefined when it holds anything else. */
export function keepParse(value: unknown, positionsOf: (o: object) => Positions | undefined): Buffer | undefined {
  const kept: Kept = { format: FORMAT, value: undefined, positions: [], unsafe: [] }
  const seen = new Map<object, unknown>()
  let plain = true
  const copy = (v: unknown): unknown => {
    if (v === null || typeof v !== 'object') return v
    const done = seen.get(v)
    if (done !== undefined) return done
    let out: Record<string | number, unknown>
    if (Array.isArray(v)) out = [] as unknown as Record<number, unknown>
    else if (isPlainMapping(v)) out = {}
    else return (plain = false)
    seen.set(v, out)
    for (const k of Object.keys(v)) {
      const item = (v as Record<string, unknown>)[k]
      const key = Array.isArray(v) ? Number(k) : k
      if (item instanceof UnsafeText) kept.unsafe.push([out, key, item.text])
      const copied = item instanceof UnsafeText ? null : copy(item)
      if (key === '__proto__') Object.defineProperty(out, key, { value: copied, writable: true, enumerable: true, configurable: true })
      else out[key] = copied
    }
    const pos = positionsOf(v)
    if (pos) kept.positions.push([out, pos])
    return out
  }
  if (value === null || typeof value !== 'object') return undefined
  kept.value = copy(value)
  return plain ? serialize(kept) : undefined
}

/** The value keepParse wrote, its positions given back through `setPositions`; undefined when unreadable. */
export function reviveParse(bytes: Buffer, setPositions: (o: object, p: Positions) => void): unknown {
  let kept: Kept
  try {
    kept = deserialize(bytes) as Kept
  } catch {
    return undefined
  }
  if (kept === null || typeof kept !== 'object' || kept.format !== FORMAT) return undefined
  for (const [container, key, text] of kept.unsafe) container[key] = new UnsafeText(text)
  for (const [container, pos] of kept.positions) setPositions(container, pos)
  return kept.value
}
