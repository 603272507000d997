// A task's module arguments: the module key's mapping or free-form text, merged with the `args:` keyword,
// each with the position it is written at, then checked against the module's schema.
import { sourceLine, type SourceLocation } from '../errors.js'
import { copyLoc, keyLocOf, locOf } from '../yaml-source.js'
import type { ModuleDef } from '../modules/index.js'
import { parseFreeForm } from './free-form.js'
import { checkModuleArgs, schemaShape } from './module-args.js'
import { Problems } from './problems.js'
import { describe, isMapping, type KeywordReader } from './reader.js'
import { isUnsafe, UnsafeText } from '../vars/unsafe.js'

/** Parameters that hold a module's free-form text (`command: echo hi` is `cmd: echo hi`). */
const RAW_KEYS = ['cmd', 'free_form', '_raw_params']

export interface TaskArgs {
  args: Record<string, unknown>
  /** The parameter free-form text went to, if the module takes free-form text. */
  rawKey?: string
}

/** The module a task's `action:` or `local_action:` names: the first word of its text, or its `module:` key. */
export function actionModule(value: unknown): string | undefined {
  if (isMapping(value)) return typeof value.module === 'string' ? value.module : undefined
  const text = isUnsafe(value) ? value.text : value
  return typeof text === 'string' ? /^\s*(\S+)/.exec(text)?.[1] : undefined
}

/**
 * Reads and checks the arguments of `moduleKey`; records `args.<name>` positions in the reader. With
 * `action`, the key is `action:` or `local_action:`, whose module name (first word, or `module:`) is not an argument.
 * With `handler`, a value the module refuses is a warning: Ansible checks a module's arguments only when
 * the task runs, and a handler runs only if notified (one never notified, such as a role's `state: stop`
 * typo, must not stop the play; one notified fails as Ansible's does, from the same check at run time).
 */
export function readTaskArgs(r: KeywordReader, moduleKey: string, def: ModuleDef, action = false, handler = false): TaskArgs {
  let value = r.node[moduleKey]
  let moduleLoc = r.loc(moduleKey)
  if (action && isMapping(value)) {
    const { module: _name, ...rest } = value
    copyLoc(value, rest)
    value = rest
  } else if (action) {
    const text = isUnsafe(value) ? value.text : String(value)
    const skip = /^\s*\S+\s*/.exec(text)?.[0].length ?? 0
    moduleLoc = offsetLoc(moduleLoc, text, skip)
    value = isUnsafe(value) ? new UnsafeText(text.slice(skip)) : text.slice(skip)
  }
  const shape = schemaShape(def.params)
  const rawKey = RAW_KEYS.find((k) => shape.fields.has(k))
  const valueLocs = new Map<string, SourceLocation>()
  const keyLocs = new Map<string, SourceLocation>()
  const record = (container: Record<string, unknown>, into: Record<string, unknown>): void => {
    for (const [k, v] of Object.entries(container)) {
      into[k] = v
      valueLocs.set(k, locOf(container, k) ?? moduleLoc)
      keyLocs.set(k, keyLocOf(container, k) ?? moduleLoc)
    }
  }
  // `args:` first, so arguments written on the module key win, as in Ansible.
  const merged: Record<string, unknown> = {}
  const argsKeyword = r.mapping('args')
  if (argsKeyword) record(argsKeyword, merged)
  if (isMapping(value)) {
    record(value, merged)
  } else if (typeof value === 'string' || isUnsafe(value)) {
    // `command: !unsafe "echo {{ x }}"`: the words stay unsafe text, never rendered.
    const text = isUnsafe(value) ? value.text : value
    const ff = parseFreeForm(text, { rawKey, knownKeys: new Set([...shape.fields.keys(), ...Object.keys(def.aliases ?? {})]) })
    for (const [k, v] of Object.entries(ff.args)) {
      merged[k] = isUnsafe(value) && typeof v === 'string' ? new UnsafeText(v) : v
      const at = offsetLoc(moduleLoc, text, ff.offsets.get(k) ?? 0)
      valueLocs.set(k, at)
      keyLocs.set(k, rawKey === k ? at : offsetLoc(moduleLoc, text, ff.keyOffsets.get(k) ?? 0))
    }
    for (const t of ff.stray) {
      r.problems.add(`module '${def.name}' takes key=value arguments, not '${t.raw}'`, offsetLoc(moduleLoc, text, t.start))
    }
  } else if (value !== null && value !== undefined) {
    r.problems.add(`arguments of module '${def.name}' must be a mapping or key=value text, got ${describe(value)}`, moduleLoc)
  }
  for (const [k, v] of valueLocs) r.locs.set(`args.${k}`, v)
  const checked = handler ? new Problems(r.problems.dynamic) : r.problems
  const args = checkModuleArgs(def, merged, {
    value: (k) => valueLocs.get(k) ?? moduleLoc,
    key: (k) => keyLocs.get(k) ?? moduleLoc,
    module: r.keyLoc(moduleKey),
  }, checked)
  if (checked !== r.problems) {
    for (const e of checked.errors) r.problems.warn(`${e.message} (this handler fails if it is notified)`, e.loc)
    for (const e of checked.lacking) r.problems.lacks(e.message, e.loc)
  }
  return { args, rawKey }
}

/**
 * The position `offset` characters into a scalar written at `loc`, when the scalar sits on one line as
 * written (plain or quoted without escapes); otherwise the scalar's own position.
 */
function offsetLoc(loc: SourceLocation, text: string, offset: number): SourceLocation {
  const line = sourceLine(loc)
  if (line === undefined || offset < 0) return loc
  const first = text.split('\n')[0]
  const at = line.slice(loc.col - 1)
  const shift = at.startsWith(first) ? 0 : /^["']/.test(at) && at.slice(1).startsWith(first) ? 1 : -1
  if (shift < 0 || offset > first.length) return loc
  return { ...loc, col: loc.col + shift + offset }
}
