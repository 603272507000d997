// Filters about values as a whole: default/d, mandatory, ternary, type_debug, JSON and YAML in and out,
// hashes, password_hash, to_uuid.
import { parseAllDocuments, parse as parseYaml, type Tags } from 'yaml'
import { digest, passwordHash, uuid5 } from '../crypto.js'
import { Undefined, undefinedError } from '../errors.js'
import { jsonDumps, jsonLoads } from '../json.js'
import { arg, type Callable } from '../types.js'
import { num, pyRepr, pyStr, truthy, typeName, ValueError } from '../values.js'
import { yamlDump } from '../yaml-dump.js'

type Filters = Record<string, Callable>

const defaultFilter: Callable = {
  params: ['default_value', 'boolean'],
  fn: (_c, v, [fallback, boolean]) => (v instanceof Undefined || (truthy(boolean) && !truthy(v)) ? arg(fallback, '') : v),
}

function forced(v: unknown): unknown {
  if (v instanceof Undefined) throw undefinedError(v)
  return v
}

/** YAML 1.1 as PyYAML reads it: y/n are strings, only yes/no/on/off/true/false are booleans. */
const PYYAML_TAGS = (tags: Tags): Tags =>
  tags.map((t) =>
    typeof t === 'object' && t.tag === 'tag:yaml.org,2002:bool' && t.test
      ? { ...t, test: new RegExp(t.test.source.replace(/Y\|y\||N\|n\|/, '')) }
      : t,
  )

function fromYaml(text: string): unknown {
  try {
    return parseYaml(text, { version: '1.1', maxAliasCount: 1000, customTags: PYYAML_TAGS }) ?? null
  } catch (err) {
    throw new ValueError(`from_yaml: ${(err as Error).message.split('\n')[0]}`)
  }
}

function jsonOptions(kw: Record<string, unknown>, nice: boolean): Parameters<typeof jsonDumps>[1] {
  const known = ['indent', 'sort_keys', 'separators', 'ensure_ascii', 'vault_to_text', 'preprocess_unsafe']
  const unknown = Object.keys(kw).find((k) => !known.includes(k))
  if (unknown) throw new ValueError(`unexpected keyword argument '${unknown}'`)
  const indent = kw.indent === undefined ? (nice ? 4 : undefined) : kw.indent === null ? undefined : typeof kw.indent === 'string' ? kw.indent : num(kw.indent)
  const separators = Array.isArray(kw.separators) ? (kw.separators.map(pyStr) as [string, string]) : nice ? ([',', ': '] as [string, string]) : undefined
  return { indent, sortKeys: truthy(kw.sort_keys ?? nice), separators, ensureAscii: truthy(kw.ensure_ascii ?? true) }
}

function yamlOptions(kw: Record<string, unknown>, nice: boolean): { indent?: number; defaultFlowStyle?: boolean } {
  const unknown = Object.keys(kw).find((k) => !['indent', 'default_flow_style', 'width', 'allow_unicode'].includes(k))
  if (unknown) throw new ValueError(`unexpected keyword argument '${unknown}'`)
  const dfs = kw.default_flow_style
  return {
    indent: kw.indent === undefined ? (nice ? 4 : undefined) : num(kw.indent),
    defaultFlowStyle: nice ? false : dfs === undefined || dfs === null ? undefined : truthy(dfs),
  }
}

export const DATA_FILTERS: Filters = {
  default: defaultFilter,
  d: defaultFilter,
  mandatory: {
    params: ['msg'],
    fn: (_c, v, [msg]) => {
      if (!(v instanceof Undefined)) return v
      if (msg !== undefined && msg !== null) throw new ValueError(pyStr(msg))
      throw new ValueError(`Mandatory variable '${v.text}' not defined.`)
    },
  },
  ternary: {
    params: ['true_val', 'false_val', 'none_val'],
    fn: (_c, v, [t, f, n]) => {
      const value = forced(v)
      if (value === null && n !== undefined && n !== null) return n
      return truthy(value) ? t : f
    },
  },
  type_debug: { params: [], fn: (_c, v) => typeName(v) },
  to_json: { params: [], anyKwargs: true, fn: (_c, v, _a, kw) => jsonDumps(v, jsonOptions(kw, false)) },
  to_nice_json: { params: ['indent', 'sort_keys'], anyKwargs: true, fn: (_c, v, [indent, sortKeys], kw) => jsonDumps(v, jsonOptions({ ...kw, indent, sort_keys: sortKeys }, true)) },
  tojson: {
    params: ['indent'],
    fn: (_c, v, [indent]) =>
      jsonDumps(v, { sortKeys: true, indent: indent === undefined || indent === null ? undefined : num(indent) })
        .replace(/</g, '\\u003c')
        .replace(/>/g, '\\u003e')
        .replace(/&/g, '\\u0026')
        .replace(/'/g, '\\u0027'),
  },
  from_json: { params: [], fn: (_c, v) => jsonLoads(pyStr(v)) },
  to_yaml: { params: [], anyKwargs: true, fn: (_c, v, _a, kw) => yamlDump(v, yamlOptions(kw, false)) },
  to_nice_yaml: { params: ['indent'], anyKwargs: true, fn: (_c, v, [indent], kw) => yamlDump(v, yamlOptions({ ...kw, indent }, true)) },
  from_yaml: { params: [], fn: (_c, v) => (typeof v === 'string' ? fromYaml(v) : v) },
  from_yaml_all: {
    params: [],
    fn: (_c, v) => (typeof v === 'string' ? parseAllDocuments(v, { version: '1.1', customTags: PYYAML_TAGS }).map((d) => ('toJS' in d ? d.toJS() : null)) : v),
  },
  hash: { params: ['hashtype'], fn: (_c, v, [t]) => digest(pyStr(arg(t, 'sha1')), pyStr(v)) },
  md5: { params: [], fn: (_c, v) => digest('md5', pyStr(v)) },
  sha1: { params: [], fn: (_c, v) => digest('sha1', pyStr(v)) },
  checksum: { params: [], fn: (_c, v) => digest('sha1', pyStr(v)) },
  password_hash: {
    params: ['hashtype', 'salt', 'salt_size', 'rounds', 'ident'],
    fn: (_c, v, [hashtype, salt, saltSize, rounds]) =>
      passwordHash(
        pyStr(v),
        pyStr(arg(hashtype, 'sha512')),
        salt === undefined || salt === null ? undefined : pyStr(salt),
        saltSize === undefined || saltSize === null ? undefined : num(saltSize),
        rounds === undefined || rounds === null ? undefined : num(rounds),
      ),
  },
  to_uuid: { params: ['namespace'], fn: (_c, v, [ns]) => uuid5(pyStr(arg(ns, '361E6D51-FAEC-444A-9079-341386DA8E2E')), pyStr(v)) },
  pprint: { params: [], fn: (_c, v) => pyRepr(v) },
}
