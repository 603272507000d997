// assemble: a file made of the fragments in a directory, joined as Ansible's assemble joins them: the
// regular files in name order (those regexp finds, hidden ones left out with ignore_hidden), a newline
// after a fragment that lacks one, and the delimiter (its escapes read as Python's) between fragments.
// The fragments are on the host (remote_src, the default: read in one command) or on the controller
// (under files/). The joined text is compared with dest as copy compares, so --check and --diff are exact.
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { PghaError } from '../errors.js'
import { fileFact } from '../facts/index.js'
import { shq } from '../shell/index.js'
import { defineModule, type ModuleContext } from './types.js'
import { attrParams, bool, writeParams } from './lib/params.js'
import { contentArgs, planContent, sha1 } from './lib/file-plan.js'
import { applyFileOps } from './lib/file-ops.js'
import { decryptedLocal, readLocal } from './lib/copy-plan.js'
import { pyRegExp } from './lib/py-regex.js'
import { absolutePathParam, hostPathParam } from './lib/value-kinds.js'

const params = z
  .object({
    src: hostPathParam().describe('Directory of the fragments: on the host, or under files/ on the controller with remote_src: false.'),
    dest: absolutePathParam().describe('The file to write on the host.'),
    delimiter: z.string().optional().describe('Text written between fragments (escapes such as \\n read as in Python); a newline follows it unless it ends with one.'),
    remote_src: bool(true, 'The fragments are on the host (no: on the controller).'),
    regexp: z.string().optional().describe('Only fragments whose names this Python regular expression finds.'),
    ignore_hidden: bool(false, 'Leave out fragments whose names start with a dot.'),
    decrypt: bool(true, "With remote_src: false, decrypt fragments encrypted with Ansible Vault with the run's vault passwords (no: join them encrypted)."),
    ...writeParams,
    ...attrParams,
  })
  .strict()
  .superRefine((p, ctx) => {
    if (p.regexp === undefined) return
    try {
      pyRegExp(p.regexp)
    } catch (err) {
      ctx.addIssue({ code: 'custom', path: ['regexp'], message: (err as Error).message })
    }
  })

type Params = z.output<typeof params>
interface Fragment { name: string; bytes: Buffer }

const PY_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', '\\': '\\', "'": "'", '"': '"', '\n': '' }

/** Python's codecs.escape_decode: \n, \t, \xhh, \ooo and the other escapes; anything else stays as written. */
export function escapeDecode(text: string): Buffer {
  const out = text.replace(/\\(x[0-9a-fA-F]{2}|[0-7]{1,3}|[\s\S])/g, (whole, e: string) => {
    if (e.startsWith('x') && e.length === 3) return String.fromCharCode(parseInt(e.slice(1), 16))
    if (/^[0-7]+$/.test(e)) return String.fromCharCode(parseInt(e, 8) & 0xff)
    return PY_ESCAPES[e] ?? whole
  })
  return Buffer.from(out, 'latin1')
}

/** Ansible's assemble_from_fragments over fragments already read. */
export function assembleFragments(fragments: Fragment[], p: Pick<Params, 'delimiter' | 'regexp' | 'ignore_hidden'>): Buffer {
  const regexp = p.regexp === undefined ? undefined : pyRegExp(p.regexp)
  const delimiter = p.delimiter ? escapeDecode(p.delimiter) : undefined
  const parts: Buffer[] = []
  let first = true
  let addNewline = false
  // Python's sorted() of the names: by code point.
  for (const f of [...fragments].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (regexp && !regexp.test(f.name)) continue
    if (p.ignore_hidden && f.name.startsWith('.')) continue
    if (addNewline) parts.push(Buffer.from('\n'))
    if (!first && delimiter) parts.push(delimiter, ...(delimiter[delimiter.length - 1] === 10 ? [] : [Buffer.from('\n')]))
    parts.push(f.bytes)
    first = false
    addNewline = !f.bytes.toString('latin1').endsWith('\n')
  }
  return Buffer.concat(parts)
}

/** The regular files of the host directory (links to files too), each line `name-base64 content-base64`. */
async function hostFragments(ctx: ModuleContext, src: string): Promise<Fragment[]> {
  const script = [
    `s=${shq(src)}`,
    `[ -e "$s" ] || { echo "Source ($s) does not exist" >&2; exit 1; }`,
    `[ -d "$s" ] || { echo "Source ($s) is not a directory" >&2; exit 1; }`,
    `cd "$s" || exit 1`,
    `for f in * .*; do [ -f "$f" ] || continue; printf '%s %s\\n' "$(printf %s "$f" | base64 -w0)" "$(base64 -w0 < "$f")" || exit 1; done`,
  ].join('\n')
  const r = await ctx.exec(script)
  if (r.rc !== 0) throw new PghaError('task', r.stderr.trim() || `reading ${src} failed (rc ${r.rc})`)
  return r.stdout.split('\n').filter(Boolean).map((line) => {
    const [name, content = ''] = line.split(' ')
    return { name: Buffer.from(name, 'base64').toString('utf8'), bytes: Buffer.from(content, 'base64') }
  })
}

/** The regular files of a controller directory (under files/). */
function localFragments(ctx: ModuleContext, src: string, decrypt: boolean): Fragment[] {
  const dir = ctx.resolveLocal('files', src)
  const st = statSync(dir, { throwIfNoEntry: false })
  if (!st) throw new PghaError('task', `Source (${src}) does not exist`)
  if (!st.isDirectory()) throw new PghaError('task', `Source (${src}) is not a directory`)
  return readdirSync(dir).filter((name) => statSync(join(dir, name), { throwIfNoEntry: false })?.isFile()).map((name) => {
    const plain = decrypt ? decryptedLocal('assemble', join(dir, name)) : undefined
    return { name, bytes: plain !== undefined ? Buffer.from(plain) : readLocal('assemble', join(dir, name)) }
  })
}

export default defineModule({
  name: 'assemble',
  description: 'Join the fragments of a directory (on the host or the controller) into one file on the host.',
  params,
  async plan(ctx, p) {
    const fragments = p.remote_src ? await hostFragments(ctx, p.src) : localFragments(ctx, p.src, p.decrypt)
    const content = assembleFragments(fragments, p)
    const info = await ctx.fact(fileFact, contentArgs(p.dest))
    const changes = planContent(info, { content, owner: p.owner, group: p.group, mode: p.mode, backup: p.backup, validate: p.validate })
    return { changes, result: { src: p.src, dest: p.dest, checksum: sha1(content), msg: 'OK' } }
  },
  apply: applyFileOps,
})
