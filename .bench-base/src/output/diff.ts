// A small unified diff (no dependency): common prefix and suffix are trimmed, the middle is compared with
// Myers' O(ND) algorithm, and when the two texts barely share anything the middle is shown replaced whole
// rather than spending unbounded memory on the trace.

type Op = { kind: ' ' | '-' | '+'; line: string }

/** Work budget for the Myers trace (cells of V kept); above it the middle is a plain replacement. */
const MAX_TRACE = 4_000_000

/** `--- before: PATH` / `+++ after: PATH`, then hunks with `context` lines around each change; '' when equal. */
export function unifiedDiff(before: string, after: string, path = '', context = 3): string {
  if (before === after) return ''
  const ops = diffLines(toLines(before), toLines(after))
  const hunks = toHunks(ops, context)
  if (hunks.length === 0) return ''
  return [`--- before: ${path}`, `+++ after: ${path}`, ...hunks].join('\n')
}

/** Lines without their newline; a last line lacking one carries the `\ No newline` marker so it differs. */
function toLines(text: string): string[] {
  if (text === '') return []
  const lines = text.split('\n')
  if (lines[lines.length - 1] === '') lines.pop()
  else lines[lines.length - 1] += '\n\\ No newline at end of file'
  return lines
}

function diffLines(a: string[], b: string[]): Op[] {
  let start = 0
  while (start < a.length && start < b.length && a[start] === b[start]) start++
  let endA = a.length
  let endB = b.length
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--
    endB--
  }
  const same = (from: number, to: number): Op[] => a.slice(from, to).map((line) => ({ kind: ' ', line }))
  return [...same(0, start), ...myers(a.slice(start, endA), b.slice(start, endB)), ...same(endA, a.length)]
}

function myers(a: string[], b: string[]): Op[] {
  const n = a.length
  const m = b.length
  const replaced = (): Op[] => [...a.map((line): Op => ({ kind: '-', line })), ...b.map((line): Op => ({ kind: '+', line }))]
  if (n === 0 || m === 0) return replaced()
  const max = n + m
  const offset = max
  const v = new Int32Array(2 * max + 2)
  const trace: Int32Array[] = []
  for (let d = 0; d <= max; d++) {
    if ((d + 1) * v.length > MAX_TRACE) return replaced()
    trace.push(v.slice())
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1])
      let x = down ? v[offset + k + 1] : v[offset + k - 1] + 1
      let y = x - k
      while (x < n && y < m && a[x] === b[y]) {
        x++
        y++
      }
      v[offset + k] = x
      if (x >= n && y >= m) return backtrack(trace, a, b, offset, d)
    }
  }
  return replaced()
}

/** Walks the saved V arrays back from (n, m) to (0, 0), emitting the edit script in order. */
function backtrack(trace: Int32Array[], a: string[], b: string[], offset: number, dEnd: number): Op[] {
  const ops: Op[] = []
  let x = a.length
  let y = b.length
  for (let d = dEnd; d > 0; d--) {
    const v = trace[d]
    const k = x - y
    const down = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1])
    const prevK = down ? k + 1 : k - 1
    const prevX = v[offset + prevK]
    const prevY = prevX - prevK
    while (x > prevX && y > prevY) {
      ops.push({ kind: ' ', line: a[--x] })
      y--
    }
    if (down) ops.push({ kind: '+', line: b[--y] })
    else ops.push({ kind: '-', line: a[--x] })
  }
  while (x > 0) ops.push({ kind: ' ', line: a[--x] })
  return ops.reverse()
}

function toHunks(ops: Op[], context: number): string[] {
  const out: string[] = []
  let i = 0
  // Line numbers (0-based) in a and b of ops[i].
  const posA: number[] = []
  const posB: number[] = []
  let la = 0
  let lb = 0
  for (const op of ops) {
    posA.push(la)
    posB.push(lb)
    if (op.kind !== '+') la++
    if (op.kind !== '-') lb++
  }
  while (i < ops.length) {
    if (ops[i].kind === ' ') {
      i++
      continue
    }
    const from = Math.max(0, i - context)
    let to = i
    // Extend while the next change is within 2*context unchanged lines.
    for (let j = i; j < ops.length; j++) {
      if (ops[j].kind !== ' ') to = j + 1
      else if (j - to >= 2 * context) break
    }
    const end = Math.min(ops.length, to + context)
    const slice = ops.slice(from, end)
    const countA = slice.filter((o) => o.kind !== '+').length
    const countB = slice.filter((o) => o.kind !== '-').length
    out.push(`@@ -${range(posA[from], countA)} +${range(posB[from], countB)} @@`)
    for (const o of slice) out.push(o.kind + o.line)
    i = end
  }
  return out
}

/** GNU style: `start,count`, `start` alone when count is 1, and the line before when the range is empty. */
function range(start: number, count: number): string {
  if (count === 0) return `${start},0`
  return count === 1 ? `${start + 1}` : `${start + 1},${count}`
}
