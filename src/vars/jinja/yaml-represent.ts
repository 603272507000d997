// PyYAML's representer and scalar analysis, as Ansible's to_yaml uses them: which style each collection
// gets (default_flow_style), sorted keys, how numbers and booleans are written, whether a string can be
// plain or must be quoted (a string that would read back as another type is quoted).
import { floatRepr, isFloat, isMapping, isNumber, num, pyCompare, ValueError } from './values.js'

export interface Scalar {
  kind: 'scalar'
  value: string
  /** The plain text would read back as a string (PyYAML's implicit[0]). */
  plainImplicit: boolean
}
export interface Collection {
  kind: 'seq' | 'map'
  items: Node[]
  flow: boolean
}
export type Node = Scalar | Collection

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

export function represent(v: unknown, defaultFlow: boolean | undefined): Node {
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

export interface Analysis {
  empty: boolean
  multiline: boolean
  allowFlowPlain: boolean
  allowBlockPlain: boolean
  allowSingleQuoted: boolean
}

export const BREAKS = '\n\x85\u2028\u2029'
const SPACE_OR_BREAK = '\0 \t\r\n\x85\u2028\u2029'

export function analyze(s: string): Analysis {
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
