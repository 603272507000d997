// include_vars: loads variables from YAML/JSON files on the controller, one file or a directory of them,
// as Ansible does. The engine keeps result.ansible_facts at Ansible's include_vars level (above task vars,
// below set_fact: engine/play-scope.ts). Relative names are looked up in the role's vars/, then next to
// the task's file and the playbook, like templates.
import { readdirSync, statSync } from 'node:fs'
import { basename, extname, join } from 'node:path'
import { z } from 'zod'
import { loadVarsFile } from '../vars/index.js'
import { defineModule, type TaskResult } from './types.js'
import { bool } from './lib/params.js'

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/
const list = z.preprocess((v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()) : v), z.array(z.string()))

const params = z
  .object({
    _raw_params: z.string().min(1).optional().describe('The file to load (free form).'),
    file: z.string().min(1).optional().describe('The file to load.'),
    dir: z.string().min(1).optional().describe('A directory whose files are loaded in name order, sub-directories too.'),
    name: z.string().regex(NAME, 'must be a valid variable name').optional().describe('Put every loaded variable under this variable.'),
    depth: z.coerce.number().int().min(0).default(0).describe('With dir: how deep to go (0: all the way).'),
    files_matching: z.string().optional().describe('With dir: load only files whose name matches this regular expression.'),
    ignore_files: list.default([]).describe('With dir: file names (regular expressions) not to load.'),
    extensions: list.default(['json', 'yaml', 'yml']).describe('The extensions a file may have.'),
    ignore_unknown_extensions: bool(false, 'With dir: skip files with other extensions instead of failing.'),
  })
  .strict()
  .superRefine((p, ctx) => {
    const sources = [p._raw_params, p.file, p.dir].filter((s) => s !== undefined)
    if (sources.length !== 1) ctx.addIssue({ code: 'custom', message: 'include_vars needs exactly one of a file (free form or file:) and dir:' })
    if (p.dir === undefined) {
      for (const k of ['files_matching', 'ignore_unknown_extensions'] as const) {
        if (p[k] !== undefined && p[k] !== false) ctx.addIssue({ code: 'custom', path: [k], message: `${k} applies only with dir` })
      }
    }
    if (p.files_matching !== undefined) {
      try {
        new RegExp(p.files_matching)
      } catch (err) {
        ctx.addIssue({ code: 'custom', path: ['files_matching'], message: `not a regular expression: ${(err as Error).message}` })
      }
    }
  })

type Params = z.output<typeof params>

export default defineModule({
  name: 'include_vars',
  description: 'Load variables from YAML or JSON files on the controller (a file, or a directory of them).',
  params,
  local: true,
  async plan(ctx, p) {
    const files = p.dir !== undefined ? filesIn(ctx.resolveLocal('vars', p.dir), p) : [checked(ctx.resolveLocal('vars', (p.file ?? p._raw_params) as string), p)]
    const vars: Record<string, unknown> = {}
    for (const f of files) Object.assign(vars, loadVarsFile(f))
    const result: Partial<TaskResult> = { ansible_facts: p.name !== undefined ? { [p.name]: vars } : vars, ansible_included_var_files: files }
    return { changes: [], result }
  },
})

function validExtension(path: string, p: Params): boolean {
  const ext = extname(path).slice(1)
  return p.extensions.includes(ext) || (ext === '' && p.extensions.includes(''))
}

/** A single file: it must exist and have one of the extensions. */
function checked(path: string, p: Params): string {
  if (!statSync(path, { throwIfNoEntry: false })?.isFile()) throw new Error(`Could not find or access '${path}' on the controller`)
  if (!validExtension(path, p)) throw new Error(`${path} does not have a valid extension: ${p.extensions.join(', ')}`)
  return path
}

/** The files of a directory as Ansible walks it: sorted by name, each directory's files before its sub-directories'. */
function filesIn(dir: string, p: Params): string[] {
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`${dir} directory does not exist`)
  const matching = p.files_matching !== undefined ? new RegExp(p.files_matching) : undefined
  const ignored = p.ignore_files.map((f) => new RegExp(`${f}$`))
  const out: string[] = []
  const walk = (d: string, depth: number): void => {
    const entries = readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    for (const e of entries) {
      const path = join(d, e.name)
      if (e.isDirectory() || ignored.some((r) => r.test(basename(path))) || (matching && !matching.test(e.name))) continue
      if (!validExtension(path, p)) {
        if (p.ignore_unknown_extensions) continue
        throw new Error(`${path} does not have a valid extension: ${p.extensions.join(', ')}`)
      }
      out.push(path)
    }
    if (p.depth !== 0 && depth >= p.depth) return
    for (const e of entries) if (e.isDirectory()) walk(join(d, e.name), depth + 1)
  }
  walk(dir, 1)
  return out
}
