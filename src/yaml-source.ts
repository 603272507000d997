// YAML loading that keeps where every value came from. Values are plain JS (objects, arrays, scalars);
// positions live in a side table keyed by the containing object, so any consumer can ask
// "where is key K of this mapping?" or "where is item I of this list?" and point the user at file:line:col.
// Every YAML pgha reads (playbooks, task and vars files, inventories, `-e`) comes through parseYaml, so it is
// read one way: Ansible's (YAML 1.1 as PyYAML reads it, `!unsafe` and `!vault`), within the bounds below.
import { LineCounter, visit, isMap, isSeq, isScalar, isAlias, type Alias, type Node, type Document, type YAMLError } from 'yaml'
import { ConfigError, ConfigErrors, registerSource, type SourceLocation } from './errors.js'
import { onNewRun } from './run-state.js'
import { readInputFile } from './input-file.js'
import { UnsafeText } from './vars/unsafe.js'
import { VaultText } from './vars/vault.js'
import { decryptVaultValue, haveVaultSecrets, VaultError } from './secrets/vault.js'
import { aliasProblem, findAliases } from './yaml-aliases.js'
import { composeDocument, NestingError } from './yaml-parse.js'
import { keepParse, reviveParse, type Positions } from './yaml-kept.js'
import { readSealed, writeSealed } from './disk-cache.js'


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

/** A mapping as the loader makes it: a plain object (not a list, nor an `!unsafe` or `!vault` value). */
export function isYamlMapping(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false
  const proto: unknown = Object.getPrototypeOf(v)
  return proto === Object.prototype || proto === null
}

/** Copies the position table of one object to another (used when a value is rebuilt, e.g. merged). */
export function copyLoc(from: object, to: object): void {
  const p = positions.get(from)
  if (p) positions.set(to, p)
}

/**
 * Parses YAML text; every syntax error, duplicate key and unknown tag is reported with its position, all at
 * once. Aliases bounded as yaml-aliases.ts says, flow nesting as yaml-parse.ts says.
 */
export function parseYaml(text: string, file: string): unknown {
  return parse(text, file).value
}

/** parseYaml's value, and whether the text holds a `!vault` value (so the value may hold a secret). */
function parse(text: string, file: string): { value: unknown; vault: boolean } {
  registerSource(file, text)
  const lineCounter = new LineCounter()
  const at = (offset: number): SourceLocation => {
    const { line, col } = lineCounter.linePos(offset)
    return { file, line, col }
  }
  let doc: Document
  try {
    doc = composeDocument(text, lineCounter)
  } catch (err) {
    if (!(err instanceof NestingError)) throw err
    throw new ConfigErrors([new ConfigError(`YAML too deep: ${err.message}`, at(err.offset))])
  }
  const problems = [...doc.errors, ...doc.warnings.filter((w) => w.code === 'DUPLICATE_KEY')]
  if (problems.length > 0) throw new ConfigErrors(explain(problems, doc, text, at))
  const aliases = findAliases(doc, text)
  const bomb = aliasProblem(doc, aliases)
  if (bomb) throw new ConfigErrors([new ConfigError(bomb.message, at(bomb.alias.range?.[0] ?? 0))])
  const c: Conversion = { text, at, targets: aliases.targets, errors: [], vault: false }
  const value = toJs(doc.contents as Node | null, c)
  if (c.errors.length > 0) throw new ConfigErrors(c.errors)
  return { value, vault: c.vault }
}

/**
 * Files parsed so far, by path, with the text they were parsed from: a task file imported in several places
 * (site.yml's playbooks import the same one seven times) is parsed once, each load getting its own copy,
 * and the run server's next run finds it again (a changed text is parsed anew). A file holding a `!vault`
 * value is `secret`: its value depends on the run's passwords too (`passwords` says whether there were any).
 */
const parsedFiles = new Map<string, { text: string; secret: boolean; passwords: boolean; value: unknown }>()
const MAX_PARSED_FILES = 1000
// A value decrypted with run 1's vault password is no answer for a run given another or none, and its
// plaintext must not outlive the run: the secret entries go at each new run; the others are the text's alone.
onNewRun(() => {
  for (const [file, parsed] of parsedFiles) if (parsed.secret) parsedFiles.delete(file)
})

/**
 * Reads and parses a YAML file (a regular file of bounded size), through the disk cache (parseKept); a
 * file that cannot be read is a ConfigError at `from` when given.
 */
export function loadYamlFile(file: string, from?: SourceLocation): unknown {
  const text = readInputFile(file, from)
  const passwords = haveVaultSecrets()
  const known = parsedFiles.get(file)
  if (known && known.text === text && (!known.secret || known.passwords === passwords)) {
    registerSource(file, text)
    return copyParsed(known.value, new Map())
  }
  const { value, secret } = parseThroughDisk(text, file)
  parsedFiles.delete(file)
  if (parsedFiles.size >= MAX_PARSED_FILES) parsedFiles.delete(parsedFiles.keys().next().value as string)
  parsedFiles.set(file, { text, secret, passwords, value: copyParsed(value, new Map()) })
  return value
}

/**
 * parseYaml through the disk cache, keyed by the file's name (positions name it) and whole text, sealed
 * with that text (disk-cache.ts): an inventory or vars file's passwords are kept only as the file itself
 * keeps them. A file Ansible Vault encrypted, or holding a `!vault` value, is never written: its parse
 * holds the plaintext, which the vault password guards and the file's text does not.
 */
export function parseKept(text: string, file: string): unknown {
  return parseThroughDisk(text, file).value
}

/** parseKept's value, and whether it may hold a secret (a `!vault` value, or the file is one vault). */
function parseThroughDisk(text: string, file: string): { value: unknown; secret: boolean } {
  const key = `${file}\0${text}`
  const bytes = readSealed('yaml', key)
  const revived = bytes && reviveParse(bytes, (o, p) => positions.set(o, p))
  if (revived !== undefined) {
    registerSource(file, text)
    return { value: revived, secret: false }
  }
  const { value, vault } = parse(text, file)
  const secret = vault || text.trimStart().startsWith('$ANSIBLE_VAULT;')
  if (!secret) {
    const out = keepParse(value, (o) => positions.get(o))
    if (out) writeSealed('yaml', key, out)
  }
  return { value, secret }
}

/** Forgets the files parsed so far (tests: the next load reads the disk cache). */
export function forgetParsedFiles(): void {
  parsedFiles.clear()
}

/** A copy of what parseYaml returned: its mappings and lists new, with their positions; shared ones stay shared. */
function copyParsed(v: unknown, seen: Map<object, unknown>): unknown {
  if (v === null || typeof v !== 'object') return v
  const done = seen.get(v)
  if (done !== undefined) return done
  if (Array.isArray(v)) {
    const out: unknown[] = []
    seen.set(v, out)
    for (const item of v) out.push(copyParsed(item, seen))
    copyLoc(v, out)
    return out
  }
  if (!isYamlMapping(v)) return v // !unsafe and !vault values are never changed
  const out: Record<string, unknown> = {}
  seen.set(v, out)
  for (const k of Object.keys(v)) setEntry(out, k, copyParsed(v[k], seen))
  copyLoc(v, out)
  return out
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
    if (/Maximum call stack/.test(e.message)) {
      message = 'YAML too deep: collections nested further than pgha can read'
    } else if (e.code === 'TAG_RESOLVE_FAILED') {
      message = `YAML error: ${e.message.split('\n')[0]}`
    } else if (e.code === 'DUPLICATE_KEY') {
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

interface Conversion {
  text: string
  at: (offset: number) => SourceLocation
  targets: Map<Alias, Node>
  errors: ConfigError[]
  /** A `!vault` value was read. */
  vault: boolean
}

/** Tags Ansible's loader adds to YAML's: a string never templated, and Ansible Vault ciphertext. */
const UNSAFE = '!unsafe'
const VAULT = new Set(['!vault', '!vault-encrypted'])
const Y = 'tag:yaml.org,2002:'
/** Which kind of node each standard tag may mark; `!` (non-specific) is a plain string. */
const TAG_KINDS: Record<string, 'single value' | 'mapping' | 'list'> = {
  '!': 'single value',
  ...Object.fromEntries(['str', 'python/unicode', 'int', 'float', 'bool', 'null'].map((t) => [Y + t, 'single value' as const])),
  [Y + 'map']: 'mapping',
  [Y + 'python/dict']: 'mapping',
  [Y + 'seq']: 'list',
}
/** What an explicit scalar tag must have resolved to; anything else is a value the tag does not fit. */
const TAG_TYPES: Record<string, (v: unknown) => boolean> = {
  [Y + 'int']: (v) => Number.isInteger(v),
  [Y + 'float']: (v) => typeof v === 'number',
  [Y + 'bool']: (v) => typeof v === 'boolean',
  [Y + 'null']: (v) => v === null,
}

/** `tag:yaml.org,2002:binary` as written: `!!binary`. */
const shownTag = (tag: string): string => (tag.startsWith(Y) ? `!!${tag.slice(Y.length)}` : tag)

/**
 * A `!vault` value: its plaintext (a secret from now on) when the run has vault passwords, an input error
 * at the value when none of them opens it; without passwords a VaultText, an error only where it is used.
 */
function vaultValue(ciphertext: string, at: SourceLocation, c: Conversion): unknown {
  c.vault = true
  if (!haveVaultSecrets()) return new VaultText(ciphertext, at)
  try {
    return decryptVaultValue(ciphertext)
  } catch (err) {
    if (!(err instanceof VaultError)) throw err
    c.errors.push(new ConfigError(`cannot decrypt this !vault value; ${err.message}`, at))
    return null
  }
}

function toJs(node: Node | null, c: Conversion): unknown {
  if (node === null || node === undefined) return null
  if (isAlias(node)) return toJs(c.targets.get(node) ?? null, c)
  const tag = node.tag
  if (tag === undefined) return plain(node, c)
  const loc = (): SourceLocation => c.at(node.range?.[0] ?? 0)
  /** The tag as written before the value, for errors about the tag. */
  const tagLoc = (): SourceLocation => {
    const start = node.range?.[0] ?? 0
    const shown = shownTag(tag)
    const written = c.text.lastIndexOf(shown, start)
    return written >= 0 && /^(\s|&\S+)*$/.test(c.text.slice(written + shown.length, start)) ? c.at(written) : loc()
  }
  const kind = isScalar(node) ? 'single value' : isMap(node) ? 'mapping' : 'list'
  if (tag === UNSAFE) return markUnsafe(isScalar(node) ? String(node.value ?? '') : plain(node, c))
  if (VAULT.has(tag)) {
    if (isScalar(node)) return vaultValue(String(node.value ?? ''), tagLoc(), c)
    c.errors.push(new ConfigError(`${tag} marks a string of ciphertext (as ansible-vault encrypt_string writes it), not a ${kind}`, tagLoc()))
    return null
  }
  const fits = TAG_KINDS[tag]
  if (!fits) {
    c.errors.push(new ConfigError(`unknown YAML tag '${shownTag(tag)}': pgha reads !unsafe, !vault and YAML's !!str, !!int, !!float, !!bool, !!null, !!map and !!seq`, tagLoc()))
  } else if (fits !== kind) {
    c.errors.push(new ConfigError(`YAML tag '${shownTag(tag)}' marks a ${fits}, not a ${kind}`, tagLoc()))
  } else if (isScalar(node) && TAG_TYPES[tag] && !TAG_TYPES[tag](node.value)) {
    c.errors.push(new ConfigError(`'${String(node.source ?? node.value)}' is not a valid ${shownTag(tag)}`, tagLoc()))
  }
  return plain(node, c)
}

/** A node's value, its tag already dealt with. */
function plain(node: Node, c: Conversion): unknown {
  if (isScalar(node)) return node.value
  if (isMap(node)) {
    const out: Record<string, unknown> = {}
    const pos: Positions = { self: c.at(node.range?.[0] ?? 0), entries: new Map(), keys: new Map() }
    for (const pair of node.items) {
      const keyNode = pair.key as Node | null
      const valueNode = pair.value as Node | null
      if (keyNode && isScalar(keyNode) && typeof keyNode.value === 'symbol') {
        merge(out, pos, toJs(valueNode, c), c.at(valueNode?.range?.[0] ?? keyNode.range?.[0] ?? 0), c)
        continue
      }
      const key = keyOf(keyNode, c)
      if (keyNode?.range) pos.keys.set(key, c.at(keyNode.range[0]))
      pos.entries.set(key, c.at((valueNode?.range ?? keyNode?.range ?? node.range ?? [0])[0]))
      setEntry(out, key, toJs(valueNode, c))
    }
    positions.set(out, pos)
    return out
  }
  if (isSeq(node)) {
    const pos: Positions = { self: c.at(node.range?.[0] ?? 0), entries: new Map(), keys: new Map() }
    const out = node.items.map((item, i) => {
      const n = item as Node | null
      pos.entries.set(i, c.at((n?.range ?? node.range ?? [0])[0]))
      return toJs(n, c)
    })
    positions.set(out, pos)
    return out
  }
  return null
}

/** A key is data: `__proto__:` is an entry like any other, not the mapping's prototype. */
function setEntry(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true })
  else out[key] = value
}

/** A mapping key as Ansible's JSON would write it: `yes:` is the key "true", `0644:` the key "420". */
function keyOf(keyNode: Node | null, c: Conversion): string {
  const key = toJs(keyNode, c)
  if (key instanceof UnsafeText) return key.text
  if (key === null || typeof key !== 'object') return String(key)
  c.errors.push(new ConfigError(key instanceof VaultText ? 'a !vault value cannot be a mapping key' : 'a mapping key must be a single value, not a list or mapping', c.at(keyNode?.range?.[0] ?? 0)))
  return ''
}

/**
 * `<<: *defaults` (or a list of them) copies the entries the mapping does not set itself, the first merged
 * mapping winning, as PyYAML merges; the copied entries keep their positions.
 */
function merge(out: Record<string, unknown>, pos: Positions, merged: unknown, at: SourceLocation, c: Conversion): void {
  const sources = Array.isArray(merged) ? merged : [merged]
  for (const m of sources) {
    if (m === null || typeof m !== 'object' || Array.isArray(m) || m instanceof UnsafeText || m instanceof VaultText) {
      c.errors.push(new ConfigError('<< merges a mapping or a list of mappings (such as <<: *defaults)', locOf(sources, sources.indexOf(m)) ?? at))
      continue
    }
    const from = positions.get(m)
    for (const [k, v] of Object.entries(m as Record<string, unknown>)) {
      if (Object.hasOwn(out, k)) continue
      setEntry(out, k, v)
      const entry = from?.entries.get(k)
      const key = from?.keys.get(k)
      if (entry) pos.entries.set(k, entry)
      if (key) pos.keys.set(k, key)
    }
  }
}

// An `!unsafe` value prints as its text, as in Ansible: in a template (`'' + value`), in JSON and `debug` output.
for (const method of ['toString', 'toJSON']) {
  Object.defineProperty(UnsafeText.prototype, method, { value(this: UnsafeText) { return this.text } })
}

/** Under `!unsafe`, every string is text that is never templated (numbers, booleans and null stay what they are). */
function markUnsafe(v: unknown): unknown {
  if (typeof v === 'string') return new UnsafeText(v)
  if (Array.isArray(v)) v.forEach((item, i) => (v[i] = markUnsafe(item)))
  else if (v !== null && typeof v === 'object' && !(v instanceof UnsafeText) && !(v instanceof VaultText)) {
    for (const [k, item] of Object.entries(v)) (v as Record<string, unknown>)[k] = markUnsafe(item)
  }
  return v
}
