// group_vars/ and host_vars/ beside the inventory, found the way Ansible finds them: for a name, the first
// of `<name>` (a file, or a directory whose files are all read in sorted order), `<name>.yml`,
// `<name>.yaml`, `<name>.json`. Files for groups or hosts the inventory does not have are not read. One
// for a host is reported as a warning, since it is usually a misspelt name; one for a group is not, since
// inventories that sit side by side share group_vars/ (the lab's group_vars/lab.yml next to production's).
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { ConfigErrors, type SourceLocation } from '../errors.js'
import { readInputFile } from '../input-file.js'
import { isVaultText, openVaultFile } from '../secrets/vault-file.js'
import { keyLocOf, locOf, parseKept, parseYaml } from '../yaml-source.js'
import { emptyVars, setVar, type InventoryBuilder, type LocatedVars } from './builder.js'
import { listsLocalhost } from './localhost.js'
import { describe, isMapping } from './yaml.js'

export interface VarsFiles {
  groups: Map<string, LocatedVars>
  hosts: Map<string, LocatedVars>
}

const EXTENSIONS = ['', '.yml', '.yaml', '.json']
/** Files that sit in vars directories without being vars (editor backups, notes). */
const IGNORED = /(^\.|~$|\.(bak|orig|swp|retry|md|txt|rst)$)/

export function loadVarsFiles(baseDir: string, b: InventoryBuilder): VarsFiles {
  return {
    groups: loadKind(baseDir, 'group_vars', 'group', (n) => b.groups.has(n), b, false),
    // host_vars/localhost is read for the implicit localhost too.
    hosts: loadKind(baseDir, 'host_vars', 'host', (n) => b.hosts.has(n) || (n === 'localhost' && !listsLocalhost(b.hosts.keys())), b, true),
  }
}

function loadKind(baseDir: string, kind: string, what: string, exists: (name: string) => boolean, b: InventoryBuilder, warnUnknown: boolean): Map<string, LocatedVars> {
  const out = new Map<string, LocatedVars>()
  const dir = join(baseDir, kind)
  if (!isDir(dir)) return out
  const byName = new Map<string, string[]>()
  for (const entry of readdirSync(dir).sort()) {
    if (IGNORED.test(entry)) continue
    const ext = EXTENSIONS.find((e) => e !== '' && entry.endsWith(e)) ?? ''
    const name = entry.slice(0, entry.length - ext.length)
    byName.set(name, [...(byName.get(name) ?? []), entry])
  }
  for (const [name, entries] of byName) {
    const first = (loc: string): SourceLocation => ({ file: join(dir, loc), line: 1, col: 1 })
    if (!exists(name)) {
      if (warnUnknown) b.warn(`${kind}/${entries[0]} is for ${what} '${name}', which is not in the inventory; it is not read`, first(entries[0]))
      continue
    }
    // Ansible reads only the first candidate in EXTENSIONS order; say so rather than ignore the others silently.
    const ordered = [...entries].sort((x, y) => rank(x, name) - rank(y, name))
    for (const other of ordered.slice(1)) b.warn(`${kind}/${other} is ignored: ${kind}/${ordered[0]} defines ${what} '${name}' (as in Ansible, only the first is read)`, first(other))
    const vars = emptyVars()
    const path = join(dir, ordered[0])
    for (const file of isDir(path) ? filesUnder(path) : [path]) readVarsFile(file, vars, b)
    out.set(name, vars)
  }
  return out
}

function rank(entry: string, name: string): number {
  return EXTENSIONS.indexOf(entry.slice(name.length))
}

function filesUnder(dir: string): string[] {
  const out: string[] = []
  for (const entry of readdirSync(dir).sort()) {
    if (IGNORED.test(entry)) continue
    const path = join(dir, entry)
    if (isDir(path)) out.push(...filesUnder(path))
    else if (EXTENSIONS.some((e) => e !== '' && entry.endsWith(e)) || !entry.includes('.')) out.push(path)
  }
  return out
}

/** Reads one vars file into `into`; problems go to the builder. */
export function readVarsFile(file: string, into: LocatedVars, b: InventoryBuilder): void {
  const at: SourceLocation = { file, line: 1, col: 1 }
  let text: string
  try {
    text = readInputFile(file)
  } catch (err) {
    if (!(err instanceof ConfigErrors)) throw err
    b.errors.push(...err.errors) // no position: showing a line would read the file that could not be read
    return
  }
  let data: unknown
  try {
    // Encrypted whole with ansible-vault: decrypted with the run's vault passwords, its values secret.
    data = isVaultText(text) ? openVaultFile(file, parseYaml, at, text) : parseKept(text, file)
  } catch (err) {
    if (!(err instanceof ConfigErrors)) throw err
    b.errors.push(...err.errors)
    return
  }
  if (data === null || data === undefined) return
  if (!isMapping(data)) return b.error(`a vars file holds a mapping of variable names, found ${describe(data)}`, locOf(data) ?? at)
  for (const [k, v] of Object.entries(data)) setVar(into, k, v, keyLocOf(data, k))
}

function isDir(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory()
}
