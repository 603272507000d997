// openssl_dhparam: a Diffie-Hellman parameters file of a size, as community.crypto's module keeps it. Plan
// reads the file with `openssl dhparam -check -text -noout` (its "(N bit)", and no WARNING) and its stat;
// a file that is not valid parameters of the size (or force) is generated anew with openssl dhparam on the
// host into a temporary file moved over it, else only owner, group and mode are set. pgha always runs the
// openssl binary, whatever select_crypto_backend says; the file it makes is the same kind.
import { posix } from 'node:path'
import { z } from 'zod'
import { PghaError } from '../errors.js'
import { fileFact } from '../facts/index.js'
import { shq } from '../shell/index.js'
import { defineModule, type Change, type Plan } from './types.js'
import { attrParams, bool } from './lib/params.js'
import { planAttrs, replaceFromTemp } from './lib/file-plan.js'
import { resolveMode } from './lib/mode.js'
import { applyFileOps, type FileOp } from './lib/file-ops.js'
import { absolutePathParam } from './lib/value-kinds.js'

const params = z
  .object({
    path: absolutePathParam().describe('The parameters file on the host.'),
    size: z.coerce.number().int().min(1).default(4096).describe('Size of the parameters in bits.'),
    state: z.enum(['present', 'absent']).default('present').describe('present or absent.'),
    force: bool(false, 'Generate the parameters again even when the file is valid and of the size.'),
    select_crypto_backend: z.enum(['auto', 'cryptography', 'openssl']).default('auto').describe('Accepted as in community.crypto; pgha always generates with the openssl binary on the host.'),
    return_content: bool(false, 'Return the file as dhparams.'),
    ...attrParams,
  })
  .strict()

type Params = z.output<typeof params>

/** community.crypto's check: openssl reads the file as DH parameters of `size` bits, with no WARNING. */
export function validOfSize(output: string, rc: number, size: number): boolean {
  const bits = /Parameters:\s+\((\d+) bit\)/.exec(output)
  return rc === 0 && bits !== null && !output.includes('WARNING') && Number(bits[1]) === size
}

/** Generates into a temporary file beside the path, given the attributes, then moved over it. */
const generateCommand = (p: Params, mode: string | undefined): string =>
  replaceFromTemp(p.path, p, mode, [`openssl dhparam -out "$t" ${p.size} 2>/dev/null || { echo "openssl dhparam -out $t ${p.size} failed" >&2; exit 1; }`])

export default defineModule({
  name: 'openssl_dhparam',
  description: 'Generate Diffie-Hellman parameters of a size into a file on the host (openssl dhparam).',
  params,
  reads: (p) => [{ def: fileFact, args: { path: p.path } }],
  async plan(ctx, p): Promise<Plan<FileOp>> {
    const info = await ctx.fact(fileFact, { path: p.path })
    const result = { size: p.size, filename: p.path }
    if (p.state === 'absent') {
      return { changes: info.exists ? [{ description: `remove ${p.path}`, data: { op: 'sh', command: `rm -f -- ${shq(p.path)}` } }] : [], result }
    }
    const dir = posix.dirname(p.path)
    const r = await ctx.exec(`[ -d ${shq(dir)} ] || { echo nodir; exit 0; }; LC_ALL=C openssl dhparam -check -text -noout -in ${shq(p.path)} 2>&1`)
    if (r.stdout.startsWith('nodir')) throw new PghaError('task', `The directory '${dir}' does not exist or the file is not a directory`)
    if (!p.force && info.type === 'file' && validOfSize(r.stdout, r.rc, p.size)) {
      const attrs = planAttrs(info, p)
      if (attrs) return { changes: [attrs], result }
      return { changes: [], result: p.return_content ? { ...result, dhparams: (await ctx.readFile(p.path))?.toString('utf8') ?? null } : result }
    }
    const mode = p.mode && resolveMode(p.mode, info.mode, false)
    const why = !info.exists ? '' : p.force ? ' (force)' : ` (not valid ${p.size}-bit parameters)`
    const change: Change<FileOp> = { description: `generate ${p.size}-bit DH parameters into ${p.path}${why}`, data: { op: 'sh', command: generateCommand(p, mode) } }
    return { changes: [change], result }
  },
  async apply(ctx, p, plan) {
    const result = await applyFileOps(ctx, p, plan)
    if (!p.return_content || p.state === 'absent') return result
    return { ...result, dhparams: (await ctx.readFile(p.path))?.toString('utf8') ?? null }
  },
})
