// The variables include_vars tasks may define, for the pre-flight's check of undefined names: a `name:`,
// else the keys of the files the task can load. A literal file or directory is read now; a templated one
// (`"{{ ansible_os_family }}.yml"`, `"{{ item }}"`) may load any vars file of the directory its literal
// part names (the role's vars/ when there is none), so the keys of all of them count. One whose directory
// is templated too, or not there, is left to run time (includeVarsUnknowable).
import { readdirSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { Playbook, Task } from '../playbook/index.js'
import { walkPlay } from '../playbook/index.js'
import { isTemplated, loadVarsFile } from '../vars/index.js'
import { localCandidates } from './host-access.js'

const VARS_FILE = /\.(ya?ml|json)$/

export function includeVarsNames(pb: Playbook): Set<string> {
  const names = new Set<string>()
  for (const play of pb.plays) {
    for (const node of walkPlay(play)) {
      if (node.kind !== 'task' || node.module !== 'include_vars') continue
      if (typeof node.args.name === 'string') {
        names.add(node.args.name)
        continue
      }
      for (const file of filesOf(node)) {
        try {
          for (const k of Object.keys(loadVarsFile(file))) names.add(k)
        } catch {
          // a file that does not load fails its task at run time, with its own error
        }
      }
    }
  }
  return names
}

/**
 * An include_vars task whose names cannot be known before it runs, like an include left to run time: no
 * `name:`, and a templated source whose directory is templated too (`"{{ playbook_dir }}/env/{{ stage }}.yml"`)
 * or names no directory there is. One templated only in its file name reads the files of its directory.
 */
export function includeVarsUnknowable(task: Task): boolean {
  if (task.module !== 'include_vars' || typeof task.args.name === 'string') return false
  const source = sourceOf(task)
  if (source === undefined || !isTemplated(source)) return false
  return source.slice(source.indexOf('{')).includes('/') || directoryOf(task, source) === undefined
}

const sourceOf = (task: Task): string | undefined => {
  const source = task.args.dir ?? task.args.file ?? task.args._raw_params
  return typeof source === 'string' && source !== '' ? source : undefined
}

/** The file or directory a source names, or for a templated one the directory of its literal part, if there. */
function directoryOf(task: Task, source: string): string | undefined {
  const literal = isTemplated(source) ? dirname(source.slice(0, source.indexOf('{'))) : source
  return localCandidates(task, 'vars', literal === '' ? '.' : literal).find((c) => statSync(c, { throwIfNoEntry: false }))
}

/** The files an include_vars task may load. */
function filesOf(task: Task): string[] {
  const source = sourceOf(task)
  const at = source === undefined ? undefined : directoryOf(task, source)
  if (at === undefined) return []
  return statSync(at).isDirectory() ? varsFilesBelow(at) : [at]
}

function varsFilesBelow(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name)
    if (e.isDirectory()) return varsFilesBelow(path)
    return VARS_FILE.test(e.name) ? [path] : []
  })
}
