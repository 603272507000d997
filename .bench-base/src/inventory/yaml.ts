// Ansible's YAML (and JSON) inventory format: a mapping of group names, each group a mapping with
// optional `hosts` (host -> vars), `vars` and `children` (group -> group definition). Ansible only warns
// about wrong shapes and skips them; pgha refuses them, since a skipped group silently changes which hosts
// a play reaches.
import type { SourceLocation } from '../errors.js'
import { keyLocOf, locOf } from '../yaml-source.js'
import { setVar, type InventoryBuilder, type LocatedVars } from './builder.js'
import { parseHostEntry, HostEntryError } from './host-entry.js'

const SECTIONS = new Set(['hosts', 'vars', 'children'])

export function parseYamlInventory(data: unknown, file: string, b: InventoryBuilder): void {
  if (data === null || data === undefined) return
  if (!isMapping(data)) {
    return b.error(`a YAML inventory is a mapping of group names (such as 'all:'), found ${describe(data)}`, locOf(data) ?? { file, line: 1, col: 1 })
  }
  for (const name of Object.keys(data)) group(name, data[name], data, [])

  /** `ancestors` guards against a group nested inside itself, which YAML anchors can build. */
  function group(name: string, def: unknown, parent: Record<string, unknown>, ancestors: string[]): void {
    const loc = keyLocOf(parent, name)
    b.group(name, loc)
    if (def === null || def === undefined) return
    if (!isMapping(def)) return b.error(`group '${name}' must be a mapping with hosts, vars or children, found ${describe(def)}`, locOf(parent, name))
    for (const key of Object.keys(def)) {
      if (!SECTIONS.has(key)) b.error(`unknown key '${key}' in group '${name}': expected hosts, vars or children`, keyLocOf(def, key))
    }
    const hosts = section(def, 'hosts', name)
    for (const entry of Object.keys(hosts ?? {})) host(name, entry, hosts!, locOf(def, 'hosts'))
    const vars = section(def, 'vars', name)
    if (vars) copyVars(vars, b.group(name).vars)
    const children = section(def, 'children', name)
    for (const child of Object.keys(children ?? {})) {
      b.addChild(name, child, keyLocOf(children, child) ?? locOf(def, 'children'))
      if (ancestors.includes(child)) continue // the cycle is reported once, by resolve
      group(child, children![child], children!, [...ancestors, name])
    }
  }

  /** A section is a mapping, null, or a single name (Ansible accepts `hosts: db1`). */
  function section(def: Record<string, unknown>, key: string, groupName: string): Record<string, unknown> | undefined {
    const value = def[key]
    if (value === null || value === undefined) return undefined
    if (typeof value === 'string') return { [value]: null }
    if (isMapping(value)) return value
    const hint = Array.isArray(value) && key !== 'vars' ? ` (write each name as a key ending in ':', not as a list item)` : ''
    b.error(`'${key}' of group '${groupName}' must be a mapping, found ${describe(value)}${hint}`, locOf(def, key))
    return undefined
  }

  function host(groupName: string, entry: string, hosts: Record<string, unknown>, sectionLoc?: SourceLocation): void {
    const loc = keyLocOf(hosts, entry) ?? sectionLoc ?? { file, line: 1, col: 1 }
    let parsed
    try {
      parsed = parseHostEntry(entry)
    } catch (err) {
      if (!(err instanceof HostEntryError)) throw err
      return b.error(err.message, { ...loc, col: loc.col + err.offset })
    }
    const vars = hosts[entry]
    if (vars !== null && vars !== undefined && !isMapping(vars)) {
      return b.error(`host '${entry}' must have a mapping of variables or nothing, found ${describe(vars)}`, locOf(hosts, entry))
    }
    for (const name of parsed.names) {
      const h = b.addHost(groupName, name, loc)
      if (parsed.port !== undefined) setVar(h.vars, 'ansible_port', parsed.port, loc)
      if (vars) copyVars(vars, h.vars)
    }
  }

  function copyVars(from: Record<string, unknown>, to: LocatedVars): void {
    for (const [k, v] of Object.entries(from)) setVar(to, k, v, keyLocOf(from, k))
  }
}

export function isMapping(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
}

export function describe(v: unknown): string {
  if (v === null || v === undefined) return 'nothing'
  if (Array.isArray(v)) return 'a list'
  if (typeof v === 'object') return 'a mapping'
  return `the ${typeof v} ${JSON.stringify(v)}`
}
