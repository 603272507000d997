// loadInventory: a file (INI or YAML/JSON) or a directory of them, then group_vars/ and host_vars/ beside
// it, resolved into an Inventory; or a comma-separated host list (`-i 'web1,web2,'`), as in Ansible. Every problem is collected and thrown at once as ConfigErrors, and
// connection variables are checked here so that a bad ansible_port fails before any host is contacted.
import { readdirSync, statSync } from 'node:fs'
import { dirname, extname, join, resolve } from 'node:path'
import { ConfigError, ConfigErrors, formatLoc, registerSource, type SourceLocation } from '../errors.js'
import { readInputFile } from '../input-file.js'
import { parseKept, parseYaml } from '../yaml-source.js'
import { InventoryBuilder, setVar } from './builder.js'
import { becomeSpec, connectionSpec, VarError } from './connection.js'
import { HostEntryError, parseHostEntry } from './host-entry.js'
import { parseIni } from './ini.js'
import { resolveInventory } from './resolve.js'
import type { Inventory, InventoryHost } from './types.js'
import { loadVarsFiles } from './vars-files.js'
import { isMapping, parseYamlInventory } from './yaml.js'

const YAML_EXT = new Set(['.yml', '.yaml', '.json'])
const INI_EXT = new Set(['.ini', '.cfg'])
/** Files in an inventory directory that are not inventories (as Ansible's INVENTORY_IGNORE_EXTS, plus
 * the known_hosts files `pgha lab up` writes next to its inventory). */
const IGNORED = /(^\.|~$|\.(bak|orig|swp|retry|md|txt|rst|cfg|pyc|pyo|known_hosts)$)/
const VARS_DIRS = new Set(['group_vars', 'host_vars'])

export function loadInventory(path: string): Inventory {
  const source = resolve(path)
  let isDir: boolean
  try {
    isDir = statSync(source).isDirectory()
  } catch {
    if (isHostList(path)) return loadHostList(path)
    throw new ConfigErrors([new ConfigError(`inventory ${path} not found`)])
  }
  const b = new InventoryBuilder()
  // Paths as the user wrote them (not absolute), so errors name `hosts.ini:3:1` as typed after -i.
  const files = isDir ? inventoryFiles(path) : [path]
  if (files.length === 0) b.error(`inventory directory ${path} holds no inventory file`)
  for (const file of files) parseFile(file, b)
  const varsFiles = loadVarsFiles(isDir ? path : dirname(path), b)
  const { inventory, varLocs } = resolveInventory(source, b, varsFiles)
  const reported = new Set<string>()
  for (const host of inventory.hosts.values()) checkConnectionVars(host, varLocs.get(host.name)!, b, reported)
  if (b.errors.length > 0) throw new ConfigErrors(b.errors)
  if (b.warnings.length > 0) inventory.warnings = b.warnings
  return inventory
}

/** `-i 'web1,db1:2222,'`: hosts named on the command line, as Ansible's host_list inventory (a comma, no file). */
function isHostList(text: string): boolean {
  return text.includes(',')
}

/**
 * Every name between commas becomes a host of `ungrouped`; `name:port` and `[ipv6]:port` set ansible_port.
 * As in Ansible's host_list, a range (`web[1:3]`) is not expanded, and no group_vars/ or host_vars/ is read.
 */
function loadHostList(text: string): Inventory {
  const b = new InventoryBuilder()
  registerSource('-i', text)
  let offset = 0
  for (const piece of text.split(',')) {
    const entry = piece.trim()
    const loc = { file: '-i', line: 1, col: offset + piece.indexOf(entry) + 1 }
    offset += piece.length + 1
    if (entry === '') continue
    const parsed = hostListEntry(entry)
    const host = b.addHost('ungrouped', parsed.name, loc)
    if (parsed.port !== undefined) setVar(host.vars, 'ansible_port', parsed.port, loc)
  }
  if (b.hosts.size === 0) b.error('the host list names no host: write -i "host1,host2," or give an inventory file', { file: '-i', line: 1, col: 1 })
  if (b.errors.length > 0) throw new ConfigErrors(b.errors)
  return resolveInventory(resolve('.'), b, { groups: new Map(), hosts: new Map() }).inventory
}

function hostListEntry(entry: string): { name: string; port?: number } {
  try {
    const parsed = parseHostEntry(entry)
    if (parsed.names.length === 1) return { name: parsed.names[0], ...(parsed.port !== undefined ? { port: parsed.port } : {}) }
  } catch (err) {
    if (!(err instanceof HostEntryError)) throw err
  }
  return { name: entry }
}

function inventoryFiles(dir: string): string[] {
  const out: string[] = []
  for (const entry of readdirSync(dir).sort()) {
    if (IGNORED.test(entry) || VARS_DIRS.has(entry)) continue
    const path = join(dir, entry)
    if (statSync(path).isDirectory()) out.push(...inventoryFiles(path))
    else out.push(path)
  }
  return out
}

function parseFile(file: string, b: InventoryBuilder): void {
  let text: string
  try {
    text = readInputFile(file)
  } catch (err) {
    if (!(err instanceof ConfigErrors)) throw err
    b.errors.push(...err.errors)
    return
  }
  registerSource(file, text)
  const ext = extname(file).toLowerCase()
  if (INI_EXT.has(ext) || (!YAML_EXT.has(ext) && looksLikeIni(text, file))) return parseIni(text, file, b)
  try {
    parseYamlInventory(parseKept(text, file), file, b)
  } catch (err) {
    if (!(err instanceof ConfigErrors)) throw err
    b.errors.push(...err.errors)
  }
}

/** For a file without a telling extension, as Ansible does: YAML when it parses as a mapping, else INI. */
function looksLikeIni(text: string, file: string): boolean {
  const first = text.split(/\r?\n/).map((l) => l.trim()).find((l) => l !== '' && !l.startsWith('#') && !l.startsWith(';'))
  if (first === undefined || first.startsWith('[')) return true
  try {
    return !isMapping(parseYaml(text, file))
  } catch {
    return true
  }
}

/** Resolves connection and become settings once per host, so a bad value is reported where it is set
 * (once per place: a bad [all:vars] value is one error, not one per host). */
function checkConnectionVars(host: InventoryHost, locs: Map<string, SourceLocation>, b: InventoryBuilder, reported: Set<string>): void {
  // A templated value is only known at run time.
  const vars = Object.fromEntries(Object.entries(host.vars).filter(([, v]) => !(typeof v === 'string' && v.includes('{{'))))
  for (const check of [() => connectionSpec({ ...host, vars }), () => becomeSpec(vars)]) {
    try {
      check()
    } catch (err) {
      if (!(err instanceof VarError)) throw err
      const loc = locs.get(err.variable) ?? host.loc
      const key = `${loc ? formatLoc(loc) : host.name} ${err.variable}`
      if (reported.has(key)) continue
      reported.add(key)
      b.error(`host '${host.name}': ${err.message}`, loc)
    }
  }
}
