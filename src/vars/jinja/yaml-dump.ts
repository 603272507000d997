// PyYAML's yaml.dump as Ansible's to_yaml/to_nice_yaml call it (SafeDumper, sorted keys, allow_unicode,
// width 80): the emitter (plain, single- or double-quoted scalars, line folding, indentation), ported from
// PyYAML's emitter.py rule for rule; yaml-represent.ts decides styles.
import { analyze, BREAKS, represent, type Collection, type Node, type Scalar } from './yaml-represent.js'

const ESCAPES: Record<string, string> = {
  '\0': '0', '\x07': 'a', '\x08': 'b', '\x09': 't', '\x0A': 'n', '\x0B': 'v', '\x0C': 'f', '\x0D': 'r', '\x1B': 'e',
  '"': '"', '\\': '\\', '\x85': 'N', '\xA0': '_', '\u2028': 'L', '\u2029': 'P',
}

interface Segment {
  kind: 'spaces' | 'breaks' | 'quote' | 'text'
  text: string
  /** Offsets in characters (code points). */
  start: number
  end: number
}

/** A scalar cut as PyYAML's writers walk it: runs of spaces, runs of line breaks, quotes, other text. */
function* segments(text: string, quotes: boolean): Generator<Segment> {
  const t = [...text]
  const kindOf = (ch: string): Segment['kind'] => (ch === ' ' ? 'spaces' : BREAKS.includes(ch) ? 'breaks' : quotes && ch === "'" ? 'quote' : 'text')
  let start = 0
  while (start < t.length) {
    const kind = kindOf(t[start])
    let end = start + 1
    if (kind !== 'quote') while (end < t.length && kindOf(t[end]) === kind) end++
    yield { kind, text: t.slice(start, end).join(''), start, end }
    start = end
  }
}

class Emitter {
  out = ''
  private indents: (number | undefined)[] = []
  private indent: number | undefined
  private flowLevel = 0
  private column = 0
  private whitespace = true
  private indention = true
  private readonly bestIndent: number
  private readonly bestWidth = 80

  constructor(indent: number) {
    this.bestIndent = indent > 1 && indent < 10 ? indent : 2
  }

  private write(data: string): void {
    this.out += data
    this.column += [...data].length
  }

  private increaseIndent(flow = false, indentless = false): void {
    this.indents.push(this.indent)
    if (this.indent === undefined) this.indent = flow ? this.bestIndent : 0
    else if (!indentless) this.indent += this.bestIndent
  }

  private indicator(indicator: string, needWhitespace: boolean, whitespace = false, indention = false): void {
    const data = this.whitespace || !needWhitespace ? indicator : ' ' + indicator
    this.whitespace = whitespace
    this.indention = this.indention && indention
    this.write(data)
  }

  writeIndent(): void {
    const indent = this.indent ?? 0
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.lineBreak()
    if (this.column < indent) {
      this.whitespace = true
      this.write(' '.repeat(indent - this.column))
    }
  }

  lineBreak(data = '\n'): void {
    this.whitespace = true
    this.indention = true
    this.out += data
    this.column = 0
  }

  node(n: Node, ctx: { sequence?: boolean; mapping?: boolean; simpleKey?: boolean }): void {
    if (n.kind === 'scalar') {
      this.increaseIndent(true)
      this.scalar(n, ctx)
      this.indent = this.indents.pop()
      return
    }
    const empty = n.items.length === 0
    if (n.kind === 'seq') {
      if (this.flowLevel > 0 || n.flow || empty) this.flowCollection(n, '[', ']')
      else this.blockSequence(n, ctx.mapping === true)
    } else if (this.flowLevel > 0 || n.flow || empty) this.flowCollection(n, '{', '}')
    else this.blockMapping(n)
  }

  private simpleKey(n: Node): boolean {
    if (n.kind !== 'scalar') return n.items.length === 0
    const a = analyze(n.value)
    return [...n.value].length < 128 && !a.empty && !a.multiline
  }

  private flowCollection(n: Collection, open: string, close: string): void {
    this.indicator(open, true, true)
    this.flowLevel++
    this.increaseIndent(true)
    const step = n.kind === 'map' ? 2 : 1
    for (let i = 0; i < n.items.length; i += step) {
      if (i > 0) this.indicator(',', false)
      if (this.column > this.bestWidth) this.writeIndent()
      if (n.kind === 'seq') {
        this.node(n.items[i], { sequence: true })
        continue
      }
      const [key, value] = [n.items[i], n.items[i + 1]]
      if (this.simpleKey(key)) {
        this.node(key, { mapping: true, simpleKey: true })
        this.indicator(':', false)
      } else {
        this.indicator('?', true)
        this.node(key, { mapping: true })
        if (this.column > this.bestWidth) this.writeIndent()
        this.indicator(':', true)
      }
      this.node(value, { mapping: true })
    }
    this.indent = this.indents.pop()
    this.flowLevel--
    this.indicator(close, false)
  }

  private blockSequence(n: Collection, mappingContext: boolean): void {
    this.increaseIndent(false, mappingContext && !this.indention)
    for (const item of n.items) {
      this.writeIndent()
      this.indicator('-', true, false, true)
      this.node(item, { sequence: true })
    }
    this.indent = this.indents.pop()
  }

  private blockMapping(n: Collection): void {
    this.increaseIndent(false)
    for (let i = 0; i < n.items.length; i += 2) {
      const [key, value] = [n.items[i], n.items[i + 1]]
      this.writeIndent()
      if (this.simpleKey(key)) {
        this.node(key, { mapping: true, simpleKey: true })
        this.indicator(':', false)
      } else {
        this.indicator('?', true, false, true)
        this.node(key, { mapping: true })
        this.writeIndent()
        this.indicator(':', true, false, true)
      }
      this.node(value, { mapping: true })
    }
    this.indent = this.indents.pop()
  }

  private scalar(n: Scalar, ctx: { simpleKey?: boolean }): void {
    const a = analyze(n.value)
    const simpleKey = ctx.simpleKey === true
    let style: string
    if (n.plainImplicit && !(simpleKey && (a.empty || a.multiline)) && ((this.flowLevel > 0 && a.allowFlowPlain) || (this.flowLevel === 0 && a.allowBlockPlain))) style = ''
    else if (a.allowSingleQuoted && !(simpleKey && a.multiline)) style = "'"
    else style = '"'
    const split = !simpleKey
    if (style === '') this.plain(n.value, split)
    else if (style === "'") this.singleQuoted(n.value, split)
    else this.doubleQuoted(n.value, split)
  }

  /** Line breaks inside a flow scalar: a first `\n` is written twice (folding reads one as a space). */
  private breaks(run: string[]): void {
    if (run[0] === '\n') this.lineBreak()
    for (const br of run) this.lineBreak(br)
    this.writeIndent()
  }

  private plain(text: string, split: boolean): void {
    if (text === '') return
    if (!this.whitespace) this.write(' ')
    this.whitespace = false
    this.indention = false
    for (const seg of segments(text, false)) {
      if (seg.kind === 'spaces' && seg.text.length === 1 && this.column > this.bestWidth && split) this.writeIndent()
      else if (seg.kind === 'breaks') this.breaks([...seg.text])
      else {
        this.write(seg.text)
        continue
      }
      this.whitespace = false
      this.indention = false
    }
  }

  private singleQuoted(text: string, split: boolean): void {
    this.indicator("'", true)
    const all = [...text].length
    for (const seg of segments(text, true)) {
      const inside = seg.start !== 0 && seg.end !== all
      if (seg.kind === 'spaces' && seg.text.length === 1 && this.column > this.bestWidth && split && inside) this.writeIndent()
      else if (seg.kind === 'breaks') this.breaks([...seg.text])
      else this.write(seg.kind === 'quote' ? "''" : seg.text)
    }
    this.indicator("'", false)
  }

  private doubleQuoted(text: string, split: boolean): void {
    this.indicator('"', true)
    let start = 0
    const t = [...text]
    for (let end = 0; end <= t.length; end++) {
      const ch = end < t.length ? t[end] : undefined
      const code = ch === undefined ? 0 : (ch.codePointAt(0) as number)
      if (ch === undefined || '"\\\x85\u2028\u2029\ufeff'.includes(ch) || !((code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd))) {
        if (start < end) {
          this.write(t.slice(start, end).join(''))
          start = end
        }
        if (ch !== undefined) {
          const hex = (w: number): string => code.toString(16).toUpperCase().padStart(w, '0')
          this.write(ESCAPES[ch] !== undefined ? '\\' + ESCAPES[ch] : code <= 0xff ? `\\x${hex(2)}` : code <= 0xffff ? `\\u${hex(4)}` : `\\U${hex(8)}`)
          start = end + 1
        }
      }
      if (end > 0 && end < t.length - 1 && (ch === ' ' || start >= end) && this.column + (end - start) > this.bestWidth && split) {
        const data = t.slice(start, end).join('') + '\\'
        if (start < end) start = end
        this.write(data)
        this.writeIndent()
        this.whitespace = false
        this.indention = false
        if (t[start] === ' ') this.write('\\')
      }
    }
    this.indicator('"', false)
  }
}

/** yaml.dump(value, Dumper=SafeDumper, allow_unicode=True, default_flow_style=..., indent=...). */
export function yamlDump(value: unknown, opts: { defaultFlowStyle?: boolean; indent?: number } = {}): string {
  const e = new Emitter(opts.indent ?? 2)
  e.node(represent(value, opts.defaultFlowStyle), {})
  // libyaml, which Ansible's dumper uses, ends a plain root scalar without PyYAML's `...` line
  e.writeIndent()
  return e.out
}
