// Finding a playbook's own module: the file NAME (or NAME.ext) in the library directories a task can see,
// the first directory that has one winning, as Ansible's module loader finds `library/` modules. Each
// directory is listed once per load, so the lookup every short module name makes costs no file system call.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { extname, join } from 'node:path'
import type { ModuleDef } from '../types.js'
import { libraryModule } from './module.js'
import { moduleKind } from './style.js'

/** What a lookup found: the module, and why pgha cannot run it when it cannot (an input error at the task). */
export interface LibraryLookup {
  def: ModuleDef
  refused?: string
}

export interface LibraryFinder {
  /** Looks NAME up in `dirs`, in order; undefined when none holds it. */
  find(name: string, dirs: readonly string[]): LibraryLookup | undefined
  /** The names of the modules in `dirs` (for suggesting the closest to a misspelt one). */
  names(dirs: readonly string[]): string[]
}

/** Files Ansible's loader passes over: compiled Python, editor leftovers, packages' markers. */
const IGNORED = new Set(['.pyc', '.pyo', '.swp', '.bak', '.md', '.txt', '.rst', '.yml', '.yaml', '.json'])

/** The files of a directory by module name (the file name without its extension); a plain NAME wins over NAME.ext. */
function listing(dir: string): Map<string, string> {
  const out = new Map<string, string>()
  let names: string[]
  try {
    names = readdirSync(dir).sort()
  } catch {
    return out // no such directory: nothing there
  }
  for (const file of names) {
    const ext = extname(file)
    if (file.startsWith('.') || file === '__init__.py' || IGNORED.has(ext)) continue
    const path = join(dir, file)
    if (!statSync(path, { throwIfNoEntry: false })?.isFile()) continue
    const name = ext === '' ? file : file.slice(0, -ext.length)
    if (ext === '' || !out.has(name)) out.set(name, path)
  }
  return out
}

/** A finder with its own cache of directory listings (one per playbook load). */
export function libraryFinder(): LibraryFinder {
  const listings = new Map<string, Map<string, string>>()
  const found = new Map<string, LibraryLookup>()
  const filesOf = (dir: string): Map<string, string> => {
    let files = listings.get(dir)
    if (!files) listings.set(dir, (files = listing(dir)))
    return files
  }
  return {
    find(name, dirs) {
      for (const dir of dirs) {
        const path = filesOf(dir).get(name)
        if (path === undefined) continue
        let hit = found.get(path)
        if (!hit) found.set(path, (hit = lookup(name, path)))
        return hit
      }
      return undefined
    },
    names: (dirs) => [...new Set(dirs.flatMap((dir) => [...filesOf(dir).keys()]))],
  }
}

function lookup(name: string, path: string): LibraryLookup {
  const kind = extname(path) === '.ps1' ? { refused: 'it is a PowerShell module (for Windows hosts)' } : moduleKind(readFileSync(path))
  if ('refused' in kind) return { def: libraryModule({ name, path, style: 'old' }), refused: `pgha cannot run the module '${name}' (${path}): ${kind.refused}` }
  return { def: libraryModule({ name, path, ...kind }) }
}
