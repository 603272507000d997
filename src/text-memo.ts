// A pure function of a text, remembered by text: the same SQL or template text is read again for every
// task, loop item, host and read-ahead guess. Bounded: past `max` texts, new ones are computed, not kept.
export function memoByText<T>(fn: (text: string) => T, max = 1000): (text: string) => T {
  const known = new Map<string, T>()
  return (text) => {
    if (known.has(text)) return known.get(text) as T
    const value = fn(text)
    if (known.size < max) known.set(text, value)
    return value
  }
}
