// YAML loading that keeps where every value came from. Values are plain JS (objects, arrays, scalars);
// positions live in a side table keyed by the containing object, so any consumer can ask
// "where is key K of this mapping?" or "where is item I of this list?" and point the user at file:line:col.
import { readFileSync } from 'node:fs'
import { LineCounter, parseDocument, visit, isMap, isSeq, isScalar, isAlias, type Node, type Document, type YAMLError } from 'yaml'
import { ConfigError, ConfigErrors, registerSource, type SourceLocation } from './errors.js'

interface Positions {
  self: SourceLocation
  /** Location of each key's value (mappings) or each item (sequences, keyed by index). */
  entries: Map<string | number, SourceLocation>
  /** Location of each key itself (mappings). */
  keys: Map<string, SourceLocation>
}

const positions = new WeakMap<object, Positions>()

/** Where a mapping/sequence starts, or where one of its entries is. */
export function locOf(container: unknown, key?: string | number): SourceLocation | undefined {
  if (container === null || typeof container !== 'object') return undefined
  const p = positions.get(container)
  if (!p) return undefined
  if (key === undefined) return p.self
  return p.entries.get(key) ?? p.self
}

/** Where a mapping's key is written (for "unknown key" errors). */
export function keyLocOf(container: unknown, key: string): SourceLocation | undefined {
  if (container === null || typeof container !== 'object') return undefined
  const p = positions.get(container)
  return p?.keys.get(key) ?? p?.entries.get(key) ?? p?.self
}

/** Copies the position table of one object to another (used when a value is rebuilt, e.g. merged). */
export function copyLoc(from: object, to: object): void {
  const p = positions.get(from)
  if (p) positions.set(to, p)
}

/** Parses YAML text; every syntax error and duplicate key is reported with its position, all at once. */
export function parseYaml(text: string, file: string): unknown {
  registerSource(file, text)
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, strict: true })
  const at = (offset: number): SourceLocation => {
    const { line, col } = lineCounter.linePos(offset)
    return { file, line, col }
  }
  const problems = [...doc.errors, ...doc.warnings.filter((w) => w.code === 'DUPLICATE_KEY')]
  if (problems.length > 0) throw new ConfigErrors(explain(problems, doc, text, at))
  return toJs(doc, doc.contents as Node | null, at)
}

/** Reads and parses a YAML file; a missing file is a ConfigError at `from` when given. */
export function loadYamlFile(file: string, from?: SourceLocation): unknown {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (err as Error).message
    throw new ConfigErrors([new ConfigError(`cannot read ${file}: ${why}`, from)])
  }
  return parseYaml(text, file)
}

/**
 * The parser's errors in an operator's words, each at the place to fix: a duplicate key names itself and
 * its first line, an unclosed quote or bracket points at where it opens, a tab in the indentation replaces
 * the errors it causes on its line.
 */
function explain(problems: YAMLError[], doc: Document, text: string, at: (offset: number) => SourceLocation): ConfigError[] {
  const firstKeys = new Map<number, { key: string; first: number }>()
  visit(doc, {
    Map(_, map) {
      const seen = new Map<string, number>()
      for (const pair of map.items) {
        const k = pair.key as Node | null
        if (!k || !isScalar(k) || !k.range) continue
        const key = String(k.value)
        if (seen.has(key)) firstKeys.set(k.range[0], { key, first: seen.get(key)! })
        else seen.set(key, k.range[0])
      }
    },
  })
  const lines = text.split('\n')
  const out: ConfigError[] = []
  const tabLines = new Set<number>()
  for (const e of problems) {
    let offset = e.pos[0]
    const loc = at(offset)
    const line = lines[loc.line - 1] ?? ''
    const indent = /^[ \t]*/.exec(line)![0]
    if (indent.includes('\t')) {
      if (!tabLines.has(loc.line)) out.push(new ConfigError('YAML syntax error: a tab in the indentation; YAML indents with spaces only, replace the tab with spaces', { ...loc, col: indent.indexOf('\t') + 1 }))
      tabLines.add(loc.line)
      continue
    }
    const first = line.split(':')[0].trim()
    let message = `YAML syntax error: ${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`
    const quote = /Missing closing (["'])quote/.exec(e.message)?.[1]
    const bracket = /end with an? ([\]}])/.exec(e.message)?.[1]
    if (e.code === 'DUPLICATE_KEY') {
      const dup = firstKeys.get(offset)
      message = dup
        ? `duplicate key '${dup.key}' (first set at line ${at(dup.first).line}): a mapping holds each key once; remove or rename one`
        : 'duplicate key: a key appears twice in this mapping; remove or rename one'
    } else if (quote) {
      offset = text.lastIndexOf(quote, offset - 1)
      message = `YAML syntax error: this ${quote === '"' ? 'double' : 'single'} quote is never closed; add the closing ${quote}`
    } else if (bracket) {
      const opener = unclosed(text, offset, bracket === ']' ? '[' : '{', bracket)
      if (opener >= 0) offset = opener
      message = `YAML syntax error: this '${bracket === ']' ? '[' : '{'}' is never closed; end the ${bracket === ']' ? 'list' : 'mapping'} with '${bracket}' on the same entry`
    } else if (e.code === 'BAD_INDENT' && /same column/.test(e.message) && first !== '') {
      offset += line.length - line.trimStart().length - (loc.col - 1)
      message = `YAML syntax error: '${first}' is not indented like the keys above it; keys of one mapping start at the same column`
    }
    out.push(new ConfigError(message, at(Math.max(0, offset))))
  }
  return out
}

/** The offset of the last `open` before `end` that no `close` matches, or -1. */
function unclosed(text: string, end: number, open: string, close: string): number {
  let depth = 0
  for (let i = Math.min(end, text.length) - 1; i >= 0; i--) {
    if (text[i] === close) depth++
    else if (text[i] === open && depth-- === 0) return i
  }
  return -1
}

function toJs(doc: Document, node: Node | null, at: (offset: number) => SourceLocation): unknown {
  if (node === null || node === undefined) return null
  if (isAlias(node)) return toJs(doc, node.resolve(doc) as Node | null, at)
  if (isScalar(node)) return node.value
  if (isMap(node)) {
    const out: Record<string, unknown> = {}
    const pos: Positions = { self: at(node.range?.[0] ?? 0), entries: new Map(), keys: new Map() }
    for (const pair of node.items) {
      const keyNode = pair.key as Node | null
      const key = String(keyNode && isScalar(keyNode) ? keyNode.value : toJs(doc, keyNode, at))
      if (key === '<<') {
        // YAML merge key: copy the merged mapping's entries that are not set explicitly.
        const merged = toJs(doc, pair.value as Node | null, at)
        for (const m of Array.isArray(merged) ? merged : [merged]) {
          if (m && typeof m === 'object') for (const [k, v] of Object.entries(m)) if (!(k in out)) out[k] = v
        }
        continue
      }
      const valueNode = pair.value as Node | null
      if (keyNode?.range) pos.keys.set(key, at(keyNode.range[0]))
      pos.entries.set(key, at((valueNode?.range ?? keyNode?.range ?? node.range ?? [0])[0]))
      out[key] = toJs(doc, valueNode, at)
    }
    positions.set(out, pos)
    return out
  }
  if (isSeq(node)) {
    const pos: Positions = { self: at(node.range?.[0] ?? 0), entries: new Map(), keys: new Map() }
    const out = node.items.map((item, i) => {
      const n = item as Node | null
      pos.entries.set(i, at((n?.range ?? node.range ?? [0])[0]))
      return toJs(doc, n, at)
    })
    positions.set(out, pos)
    return out
  }
  return null
}
