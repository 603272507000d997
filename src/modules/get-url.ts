// get_url: downloads a URL on the host with curl (or wget), into a temporary file beside dest that is
// checksum-verified and renamed into place. Planned only when dest is missing or its checksum differs.
import { z } from 'zod'
import { fileFact, type ChecksumAlgorithm } from '../facts/index.js'
import { defineModule, type Plan } from './types.js'
import { attrParams, bool } from './lib/params.js'
import { planAttrs, replaceFromTemp } from './lib/file-plan.js'
import { resolveMode } from './lib/mode.js'
import { applyFileOps, UNCHANGED, type FileOp } from './lib/file-ops.js'
import { absolutePathParam } from './lib/value-kinds.js'
import { downloadLines, redactUrl as redact } from './lib/host-download.js'

const params = z
  .object({
    url: z.string().regex(/^(https?|ftp|file):\/\/[^\s]*$/, 'url must be http(s)://, ftp:// or file:// without white space').describe('What to download.'),
    dest: absolutePathParam().describe('Absolute path where to save it; a directory (or a path ending in /) gets the last part of the URL path.'),
    checksum: z
      .string()
      .regex(/^(sha1|sha256|sha512|md5):[0-9a-fA-F]+$/, "checksum must look like 'sha256:<hex>'")
      .optional()
      .describe("'ALGORITHM:HEX'; the download must match it, and a dest that matches is not downloaded again."),
    force: bool(false, 'Without checksum: download again even when dest exists (replaced only if the content differs).'),
    timeout: z.number().int().positive().default(10).describe('Connect timeout in seconds.'),
    validate_certs: bool(true, 'Check the server certificate (no: curl -k / wget --no-check-certificate).'),
    ...attrParams,
  })
  .strict()

type Params = z.output<typeof params>

const algorithmOf = (p: Params) => p.checksum?.split(':')[0] as ChecksumAlgorithm | undefined
/** The last part of the URL's path: the file's name in a dest directory. */
const urlName = (p: Params) => new URL(p.url).pathname.split('/').pop() || 'index.html'
/** dest as given, or the URL's file name in it when it ends in `/`. */
const destOf = (p: Params) => (p.dest.endsWith('/') ? p.dest + urlName(p) : p.dest)
/** What plan reads of a dest: with the checksum the download must match, when one is given. */
const destArgs = (p: Params, path: string) => ({ path, checksum: algorithmOf(p) })

function downloadCommand(p: Params, dest: string, mode: string | undefined, force: boolean): string {
  const [alg, hex] = p.checksum?.split(':') ?? []
  const fill = downloadLines(p.url, { validateCerts: p.validate_certs, timeout: p.timeout, module: 'get_url' })
  if (alg) fill.push(`echo "${hex.toLowerCase()}  $t" | ${alg}sum -c --status || { echo "checksum mismatch: $(${alg}sum < "$t")" >&2; exit 1; }`)
  if (force) fill.push(`if cmp -s "$t" "$d"; then echo ${UNCHANGED}; exit 0; fi`)
  return replaceFromTemp(dest, p, mode, fill)
}

export default defineModule({
  name: 'get_url',
  description: 'Download a file on the host (curl or wget), verified against a checksum when given',
  params,
  // dest (its checksum when one is given); a dest that turns out to be a directory reads the file in it.
  reads: (p) => [{ def: fileFact, args: destArgs(p, destOf(p)) }],
  async plan(ctx, p): Promise<Plan<FileOp>> {
    const alg = algorithmOf(p)
    const name = urlName(p)
    let dest = destOf(p)
    let info = await ctx.fact(fileFact, destArgs(p, dest))
    if (info.type === 'directory') {
      dest = `${dest}/${name}`
      info = await ctx.fact(fileFact, destArgs(p, dest))
    }
    const matches = alg ? info.checksum === p.checksum!.split(':')[1].toLowerCase() : !p.force
    if (info.type === 'file' && matches) {
      const attrs = planAttrs(info, p)
      return { changes: attrs ? [attrs] : [], result: { dest, url: redact(p.url) } }
    }
    const mode = p.mode && resolveMode(p.mode, info.mode, false)
    const force = info.exists && !alg
    const op: FileOp = { op: 'sh', command: downloadCommand(p, dest, mode, force) }
    const why = !info.exists ? '' : alg ? ' (checksum differs)' : ' (force: replaced only if different)'
    return {
      changes: [{ description: `download ${redact(p.url)} to ${dest}${why}`, data: op }],
      result: { dest, url: redact(p.url) },
      // Without a checksum to compare, only the download tells whether the content changed.
      unpredictable: force,
    }
  },
  apply: applyFileOps,
})
