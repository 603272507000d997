// PyYAML's yaml.dump as Ansible's to_yaml/to_nice_yaml call it (SafeDumper, sorted keys, allow_unicode,
// width 80): its representer (which style each collection gets) and its emitter (plain, single- or
// double-quoted scalars, line folding, indentation), ported from PyYAML's emitter.py rule for rule.
import { floatRepr, isFloat, isMapping, isNumber, num, pyCompare, ValueError } from './values.js'

interface Scalar {
  kind: 'scalar'
  value: string
  /** The plain text would read back as a string (PyYAML's implicit[0]). */
  plainImplicit: boolean
}
interface Collection {
  kind: 'seq' | 'map'
  items: Node[]
  flow: boolean
}
type Node = Scalar | Collection

const RESOLVERS: RegExp[] = [
  /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
  /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/,
  /^(?:<<)$/,
  /^(?:~|null|Null|NULL|)$/,
  /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$/,
  /^(?:=)$/,
  /^(?:!|&|\*)$/,
]

function represent(v: unknown, defaultFlow: boolean | undefined): Node {
  if (typeof v === 'string') return { kind: 'scalar', value: v, plainImplicit: !RESOLVERS.some((r) => r.test(v)) }
  if (v === null || v === undefined) return { kind: 'scalar', value: 'null', plainImplicit: true }
  if (typeof v === 'boolean') return { kind: 'scalar', value: v ? 'true' : 'false', plainImplicit: true }
  if (isNumber(v)) {
    if (!isFloat(v)) return { kind: 'scalar', value: String(num(v)), plainImplicit: true }
    const x = num(v)
    let s = Number.isNaN(x) ? '.nan' : x === Infinity ? '.inf' : x === -Infinity ? '-.inf' : floatRepr(x).toLowerCase()
    if (!s.includes('.') && s.includes('e')) s = s.replace('e', '.0e')
    return { kind: 'scalar', value: s, plainImplicit: true }
  }
  if (Array.isArray(v)) {
    const items = v.map((x) => represent(x, defaultFlow))
    return { kind: 'seq', items, flow: defaultFlow ?? items.every((i) => i.kind === 'scalar') }
  }
  if (isMapping(v)) {
    const entries = Object.entries(v).sort(([a], [b]) => pyCompare(a, b))
    const items = entries.flatMap(([k, x]) => [represent(k, defaultFlow), represent(x, defaultFlow)])
    return { kind: 'map', items, flow: defaultFlow ?? items.every((i) => i.kind === 'scalar') }
  }
  throw new ValueError(`cannot represent an object: ${String(v)}`)
}

interface Analysis {
  empty: boolean
  multiline: boolean
  allowFlowPlain: boolean
  allowBlockPlain: boolean
  allowSingleQuoted: boolean
}

const BREAKS = '\n\x85\u2028\u2029'
const SPACE_OR_BREAK = '\0 \t\r\n\x85\u2028\u2029'

function analyze(s: string): Analysis {
  if (s === '') return { empty: true, multiline: false, allowFlowPlain: false, allowBlockPlain: true, allowSingleQuoted: true }
  let blockIndicators = false
  let flowIndicators = false
  let lineBreaks = false
  let special = false
  let leadingSpace = false
  let leadingBreak = false
  let trailingSpace = false
  let trailingBreak = false
  let breakSpace = false
  let spaceBreak = false
  if (s.startsWith('---') || s.startsWith('...')) blockIndicators = flowIndicators = true
  let precededByWs = true
  let followedByWs = s.length === 1 || SPACE_OR_BREAK.includes(s[1])
  let previousSpace = false
  let previousBreak = false
  const chars = [...s]
  for (let index = 0; index < chars.length; index++) {
    const ch = chars[index]
    if (index === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(ch)) flowIndicators = blockIndicators = true
      if ('?:'.includes(ch)) {
        flowIndicators = true
        if (followedByWs) blockIndicators = true
      }
      if (ch === '-' && followedByWs) flowIndicators = blockIndicators = true
    } else {
      if (',?[]{}'.includes(ch)) flowIndicators = true
      if (ch === ':') {
        flowIndicators = true
        if (followedByWs) blockIndicators = true
      }
      if (ch === '#' && precededByWs) flowIndicators = blockIndicators = true
    }
    if (BREAKS.includes(ch)) lineBreaks = true
    const code = ch.codePointAt(0) as number
    if (!(ch === '\n' || (code >= 0x20 && code <= 0x7e))) {
      const printable = (ch === '\x85' || (code >= 0xa0 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code < 0x10ffff)) && ch !== '\ufeff'
      if (!printable) special = true
    }
    if (ch === ' ') {
      if (index === 0) leadingSpace = true
      if (index === chars.length - 1) trailingSpace = true
      if (previousBreak) breakSpace = true
      previousSpace = true
      previousBreak = false
    } else if (BREAKS.includes(ch)) {
      if (index === 0) leadingBreak = true
      if (index === chars.length - 1) trailingBreak = true
      if (previousSpace) spaceBreak = true
      previousSpace = false
      previousBreak = true
    } else {
      previousSpace = previousBreak = false
    }
    precededByWs = SPACE_OR_BREAK.includes(ch)
    followedByWs = index + 2 >= chars.length || SPACE_OR_BREAK.includes(chars[index + 2])
  }
  let allowFlowPlain = true
  let allowBlockPlain = true
  let allowSingleQuoted = true
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) allowFlowPlain = allowBlockPlain = false
  if (breakSpace) allowFlowPlain = allowBlockPlain = allowSingleQuoted = false
  if (spaceBreak || special) allowFlowPlain = allowBlockPlain = allowSingleQuoted = false
  if (lineBreaks) allowFlowPlain = allowBlockPlain = false
  if (flowIndicators) allowFlowPlain = false
  if (blockIndicators) allowBlockPlain = false
  return { empty: false, multiline: lineBreaks, allowFlowPlain, allowBlockPlain, allowSingleQuoted }
}

const ESCAPES: Record<string, string> = {
  '\0': '0', '\x07': 'a', '\x08': 'b', '\x09': 't', '\x0A': 'n', '\x0B': 'v', '\x0C': 'f', '\x0D': 'r', '\x1B': 'e',
  '"': '"', '\\': '\\', '\x85': 'N', '\xA0': '_', '\u2028': 'L', '\u2029': 'P',
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
    let spaces = false
    let breaks = false
    let start = 0
    const t = [...text]
    for (let end = 0; end <= t.length; end++) {
      const ch = end < t.length ? t[end] : undefined
      if (spaces) {
        if (ch !== ' ') {
          if (start + 1 === end && this.column > this.bestWidth && split) {
            this.writeIndent()
            this.whitespace = false
            this.indention = false
          } else this.write(t.slice(start, end).join(''))
          start = end
        }
      } else if (breaks) {
        if (ch === undefined || !BREAKS.includes(ch)) {
          this.breaks(t.slice(start, end))
          this.whitespace = false
          this.indention = false
          start = end
        }
      } else if (ch === undefined || (' ' + BREAKS).includes(ch)) {
        this.write(t.slice(start, end).join(''))
        start = end
      }
      if (ch !== undefined) {
        spaces = ch === ' '
        breaks = BREAKS.includes(ch)
      }
    }
  }

  private singleQuoted(text: string, split: boolean): void {
    this.indicator("'", true)
    let spaces = false
    let breaks = false
    let start = 0
    const t = [...text]
    for (let end = 0; end <= t.length; end++) {
      const ch = end < t.length ? t[end] : undefined
      if (spaces) {
        if (ch === undefined || ch !== ' ') {
          if (start + 1 === end && this.column > this.bestWidth && split && start !== 0 && end !== t.length) this.writeIndent()
          else this.write(t.slice(start, end).join(''))
          start = end
        }
      } else if (breaks) {
        if (ch === undefined || !BREAKS.includes(ch)) {
          this.breaks(t.slice(start, end))
          start = end
        }
      } else if (ch === undefined || (' ' + BREAKS).includes(ch) || ch === "'") {
        if (start < end) {
          this.write(t.slice(start, end).join(''))
          start = end
        }
      }
      if (ch === "'") {
        this.write("''")
        start = end + 1
      }
      if (ch !== undefined) {
        spaces = ch === ' '
        breaks = BREAKS.includes(ch)
      }
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
