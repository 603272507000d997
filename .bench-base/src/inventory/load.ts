// loadInventory: a file (INI or YAML/JSON) or a directory of them, then group_vars/ and host_vars/ beside
// it, resolved into an Inventory. Every problem is collected and thrown at once as ConfigErrors, and
// connection variables are checked here so that a bad ansible_port fails before any host is contacted.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, extname, join, resolve } from 'node:path'
import { ConfigError, ConfigErrors, formatLoc, registerSource, type SourceLocation } from '../errors.js'
import { parseYaml } from '../yaml-source.js'
import { InventoryBuilder } from './builder.js'
import { becomeSpec, connectionSpec, VarError } from './connection.js'
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
    text = readFileSync(file, 'utf8')
  } catch (err) {
    return b.error(`cannot read inventory ${file}: ${(err as Error).message}`)
  }
  registerSource(file, text)
  const ext = extname(file).toLowerCase()
  if (INI_EXT.has(ext) || (!YAML_EXT.has(ext) && looksLikeIni(text, file))) return parseIni(text, file, b)
  try {
    parseYamlInventory(parseYaml(text, file), file, b)
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
