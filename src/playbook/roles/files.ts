// A role's layout: tasks/ handlers/ defaults/ vars/ meta/ hold their main file as main.yml, main.yaml,
// main.json or main (tried in that order, as Ansible does); `tasks_from: setup` names another file of the
// directory (tried as written first, then with those extensions). defaults/ and vars/ may hold a directory
// instead of a file, whose files are read in name order and merged. templates/ and files/ are looked up by
// the modules (engine/host-access.ts).
import { readdirSync, statSync } from 'node:fs'
import { isAbsolute, join, relative, resolve } from 'node:path'
import type { SourceLocation } from '../../errors.js'
import { loadVarsFile } from '../../vars/index.js'
import { mergeVars } from '../inherit.js'
import type { Problems } from '../problems.js'
import type { Vars } from '../types.js'
import { isDir } from './search.js'

export type RoleSubdir = 'tasks' | 'handlers' | 'defaults' | 'vars' | 'meta'

const MAIN_EXTENSIONS = ['.yml', '.yaml', '.json', '']
const FROM_EXTENSIONS = ['', '.yml', '.yaml', '.json']

/**
 * The file (or, for vars and defaults, the directory) a role's subdirectory holds under `main` ('main' by
 * default); undefined when there is none. A name leading out of the subdirectory is an error.
 */
export function roleFile(rolePath: string, subdir: RoleSubdir, main: string | undefined, at: SourceLocation, problems: Problems): string | undefined {
  const dir = join(rolePath, subdir)
  if (!isDir(dir)) {
    if (main !== undefined) problems.add(`role '${rolePath}' has no ${subdir}/ directory for ${subdir}_from: ${main}`, at)
    return undefined
  }
  if (main !== undefined && (isAbsolute(main) || relative(dir, resolve(dir, main)).startsWith('..'))) {
    problems.add(`${subdir}_from must name a file inside the role's ${subdir}/ directory, got '${main}'`, at)
    return undefined
  }
  const base = join(dir, main ?? 'main')
  const found = (main === undefined ? MAIN_EXTENSIONS : FROM_EXTENSIONS).map((ext) => base + ext).find(exists)
  if (!found && main !== undefined) problems.add(`no file '${main}' in ${dir} (tried ${FROM_EXTENSIONS.map((e) => `${main}${e}`).join(', ')})`, at)
  return found
}

/** A role's defaults or vars: one file, or every file of a directory in name order, later files winning. */
export function roleVarsFile(path: string | undefined, problems: Problems): Vars {
  if (path === undefined) return {}
  const files = isDir(path) ? varsFilesIn(path) : [path]
  return files.reduce<Vars>((out, file) => mergeVars(out, problems.attempt(() => loadVarsFile(file)) ?? {}), {})
}

function varsFilesIn(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name)
    if (isDir(path)) return varsFilesIn(path)
    return /\.(ya?ml|json)$/.test(name) || !name.includes('.') ? [path] : []
  })
}

function exists(path: string): boolean {
  try {
    return statSync(path).isFile() || statSync(path).isDirectory()
  } catch {
    return false
  }
}
