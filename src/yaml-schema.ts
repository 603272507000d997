// The YAML 1.1 scalars as Ansible reads them: PyYAML's resolver (yaml/resolver.py) and SafeConstructor, which
// Ansible's loader builds on, ported regex for regex. The yaml library's own 'yaml-1.1' schema differs from
// PyYAML where it matters: it reads `y`/`n` as booleans, `1e3` and `-.5` as numbers, `09` as 9 and `0:30` as
// 30, all of which PyYAML keeps as strings. Timestamps stay the strings they are written as (PyYAML makes
// dates of them, which print back the same for `2001-12-14`); `!!binary`, `!!set`, `!!omap` and `!!pairs`
// are left unresolved, so the loader reports them as tags pgha does not read.
import type { ScalarTag, Tags } from 'yaml'

const BOOL = 'tag:yaml.org,2002:bool'
const INT = 'tag:yaml.org,2002:int'
const FLOAT = 'tag:yaml.org,2002:float'

const boolTag = (value: boolean, test: RegExp): ScalarTag => ({ identify: (v) => v === value, default: true, tag: BOOL, test, resolve: () => value })
const trueTag = boolTag(true, /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/)
const falseTag = boolTag(false, /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/)

/** `[-+]`, then the digits; `_` is a separator PyYAML drops before converting. */
function signed(text: string): { sign: number; digits: string } {
  const s = text.replace(/_/g, '')
  const sign = s.startsWith('-') ? -1 : 1
  return { sign, digits: /^[-+]/.test(s) ? s.slice(1) : s }
}

/** Base-60 parts (`1:30` is 90), most significant first. */
function sexagesimal(digits: string, part: (p: string) => number): number {
  return digits.split(':').reduce((sum, p) => sum * 60 + part(p), 0)
}

/** construct_yaml_int: 0b binary, 0x hex, a leading 0 is octal (`0644` is 420), `1:30` is base 60. */
function resolveInt(text: string, onError: (message: string) => void): number | string {
  const { sign, digits } = signed(text)
  const n = digits === '0' ? 0
    : digits.startsWith('0b') ? parseInt(digits.slice(2), 2)
      : digits.startsWith('0x') ? parseInt(digits.slice(2), 16)
        : digits.startsWith('0') ? parseInt(digits, 8)
          : digits.includes(':') ? sexagesimal(digits, (p) => parseInt(p, 10))
            : parseInt(digits, 10)
  if (Number.isNaN(n)) {
    onError(`'${text}' is not an integer`)
    return text
  }
  return n === 0 ? 0 : sign * n // an integer has no -0
}

const intTag: ScalarTag = {
  identify: (v) => typeof v === 'number' && Number.isInteger(v),
  default: true,
  tag: INT,
  test: /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/,
  resolve: resolveInt,
}

/** construct_yaml_float: `.inf`, `.nan`, base 60 with a fraction, else the decimal number. */
function resolveFloat(text: string, onError: (message: string) => void): number | string {
  const { sign, digits } = signed(text.toLowerCase())
  if (digits === '.nan') return NaN
  const n = digits === '.inf' ? Infinity : digits.includes(':') ? sexagesimal(digits, Number) : Number(digits)
  if (Number.isNaN(n)) {
    onError(`'${text}' is not a number`)
    return text
  }
  return sign * n
}

const floatTag: ScalarTag = {
  identify: (v) => typeof v === 'number',
  default: true,
  tag: FLOAT,
  test: /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
  resolve: resolveFloat,
}

/** A plain `=` resolves to YAML 1.1's value type, which PyYAML (so Ansible) cannot construct. */
const valueTag: ScalarTag = {
  identify: () => false,
  default: true,
  tag: 'tag:yaml.org,2002:value',
  test: /^=$/,
  resolve: (text, onError) => {
    onError("a plain '=' is YAML 1.1's value key, which Ansible cannot load; quote it: '='")
    return text
  },
}

/**
 * The schema's tags: the library's map, seq, str and null (null's `~|null|Null|NULL|` is PyYAML's), then
 * PyYAML's bool, int and float. Used with `version: '1.1'` and `merge: true`, which adds `<<`.
 */
export function pyyamlTags(defaults: Tags): Tags {
  const kept = defaults.filter((t) => typeof t !== 'string' && ['map', 'seq', 'str', 'null'].some((n) => t.tag === `tag:yaml.org,2002:${n}`))
  return [...kept, trueTag, falseTag, intTag, floatTag, valueTag]
}
