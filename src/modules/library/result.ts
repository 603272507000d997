// A library module's output as its task's result, read as ansible-core reads it (ActionBase.
// _parse_returned_data, TaskExecutor): the JSON object on stdout, lines before and after it ignored; no
// JSON is a failed task holding what the module printed; `failed` missing means rc != 0, `changed` missing
// means false.
import type { ExecResult } from '../../transport/types.js'
import type { TaskResult } from '../types.js'
import { NO_MODULE_UTILS, type LibraryFile } from './module.js'
import { NO_PYTHON } from '../lib/python-interpreter.js'

/** Ansible's _filter_non_json_lines (objects only): from the first line starting with `{` to the last ending with `}`. */
function jsonPart(stdout: string): string | undefined {
  const lines = stdout.split(/\r?\n/)
  const start = lines.findIndex((l) => l.trim().startsWith('{'))
  if (start < 0) return undefined
  let end = lines.length - 1
  while (end >= start && !lines[end].trim().endsWith('}')) end--
  return end < start ? undefined : lines.slice(start, end + 1).join('\n')
}

function parsed(stdout: string): Record<string, unknown> | undefined {
  const text = jsonPart(stdout)
  if (text === undefined) return undefined
  try {
    const value: unknown = JSON.parse(text)
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

/** A module's `diff` ({before, after} or a list of them) in pgha's shape, or nothing when it is not one. */
function diffOf(value: unknown): TaskResult['diff'] {
  const items = Array.isArray(value) ? value : [value]
  const out: NonNullable<TaskResult['diff']> = []
  for (const d of items) {
    if (d === null || typeof d !== 'object') continue
    const { before, after, after_header: header } = d as Record<string, unknown>
    if (before === undefined && after === undefined) continue
    out.push({ ...(typeof header === 'string' ? { path: header } : {}), before: diffText(before), after: diffText(after) })
  }
  return out.length > 0 ? out : undefined
}

/** A side of a diff as Ansible's callback shows it: text as it is, data as json.dumps(sort_keys, indent=4). */
function diffText(side: unknown): string {
  if (side === undefined || side === null) return ''
  if (typeof side === 'string') return side
  return `${JSON.stringify(sortedKeys(side), null, 4)}\n`
}

function sortedKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortedKeys)
  if (v === null || typeof v !== 'object') return v
  return Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, x]) => [k, sortedKeys(x)]))
}

export function moduleResult(file: LibraryFile, r: ExecResult): Partial<TaskResult> {
  if (file.style === 'new' && r.stderr.includes(NO_MODULE_UTILS)) {
    return {
      changed: false, failed: true, rc: r.rc,
      msg: `the module ${file.name} (${file.path}) is an Ansible module built on AnsibleModule, which imports ansible.module_utils: ` +
        "the host's python has no ansible package, so pgha cannot run it there (install ansible-core on the host, or make it a WANT_JSON module)",
    }
  }
  const data = parsed(r.stdout)
  if (!data && r.rc === 127 && r.stderr.startsWith(`${NO_PYTHON}: `)) {
    return { changed: false, failed: true, rc: r.rc, msg: r.stderr.trim().slice(NO_PYTHON.length + 2) }
  }
  if (!data) {
    const interpreterMissing = /: (?:No such file or directory|not found)/.test(r.stderr) && r.rc === 127
    return {
      changed: false, failed: true, rc: r.rc,
      msg: `${interpreterMissing ? 'The module failed to execute correctly, you probably need to set the interpreter.' : 'MODULE FAILURE'}\nSee stdout/stderr for the exact error`,
      module_stdout: r.stdout,
      module_stderr: r.stderr,
      ...(r.stderr.startsWith('Traceback') ? { exception: r.stderr } : {}),
    }
  }
  const { diff, ...rest } = withoutInternalKeys(data)
  const failed = 'failed' in rest ? rest.failed === true : 'rc' in rest && rest.rc !== 0 && rest.rc !== '0'
  const shaped = diffOf(diff)
  return { ...rest, changed: rest.changed === true, failed, ...(shaped ? { diff: shaped } : {}) }
}

/** Ansible's remove_internal_keys: a module may not set `_ansible_*` keys, and empty warnings go. */
function withoutInternalKeys(data: Record<string, unknown>): Record<string, unknown> {
  const out = Object.fromEntries(Object.entries(data).filter(([k]) => !k.startsWith('_ansible_') || k === '_ansible_parsed'))
  for (const k of ['warnings', 'deprecations']) {
    const v = out[k]
    if (k in out && (v === null || v === '' || (Array.isArray(v) && v.length === 0) || v === false)) delete out[k]
  }
  return out
}
