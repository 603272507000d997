// copy: puts a controller file (src, from files/) or literal text (content) at dest on the host, or with
// remote_src a file already on the host. A src encrypted with Ansible Vault is decrypted first, as
// Ansible's copy action does, unless decrypt is false.
import { z } from 'zod'
import { PghaError } from '../errors.js'
import { fileFact } from '../facts/index.js'
import { defineModule, type ModuleContext } from './types.js'
import { attrParams, bool, writeParams } from './lib/params.js'
import { copySource, destRead, planCopy } from './lib/copy-plan.js'
import { applyFileOps } from './lib/file-ops.js'
import { contentArgs, type LocalFile } from './lib/file-plan.js'
import { absolutePathParam } from './lib/value-kinds.js'

export default defineModule({
  name: 'copy',
  description: 'Copy a file from the controller (or, with remote_src, one on the host), or write given content, to a path on the host',
  params: z
    .object({
      dest: absolutePathParam().describe('Absolute path on the host; a directory (or a path ending in /) receives src under its own name.'),
      src: z.string().optional().describe("Controller file, relative to the playbook's files/ directory (with remote_src, a file on the host). Exclusive with content."),
      content: z.string().optional().describe('Text to write instead of src.'),
      remote_src: bool(false, 'src is a file on the host, copied there (one file: a directory is refused, where Ansible copies it recursively).'),
      force: bool(true, 'Replace the file when its content differs; no: only create it when missing.'),
      decrypt: bool(true, "Decrypt a src encrypted with Ansible Vault with the run's vault passwords (its text is then a secret); no: copy it encrypted. Not with remote_src, as in Ansible."),
      ...attrParams,
      ...writeParams,
    })
    .strict()
    .refine((p) => (p.src === undefined) !== (p.content === undefined), { message: 'give exactly one of src and content' })
    .refine((p) => !p.remote_src || p.src !== undefined, { message: 'remote_src copies src: give src, not content' }),
  reads: (p) => [...(p.dest.endsWith('/') ? [] : [destRead(p.dest)]), ...(p.remote_src && p.src !== undefined ? [sourceRead(p.src)] : [])],
  async plan(ctx, p) {
    // a src file is streamed to the host: known here by size and checksum, never read whole
    const content = p.src === undefined ? (p.content ?? '') : p.remote_src ? await hostSource(ctx, p.src) : copySource('copy', ctx.resolveLocal('files', p.src), p.decrypt)
    return planCopy(ctx, { ...p, content, srcName: p.src })
  },
  apply: applyFileOps,
})

/** remote_src's file, a link followed (Ansible's os.path.isfile). */
const sourceRead = (src: string) => ({ def: fileFact, args: { ...contentArgs(src), follow: true } })

/** remote_src's file, known by the checksum (and, when small text, the content) the host reports. */
async function hostSource(ctx: ModuleContext, src: string): Promise<LocalFile> {
  const { def, args } = sourceRead(src)
  const info = await ctx.fact(def, args)
  // Ansible's messages for a missing and an unreadable source.
  if (!info.exists) throw new PghaError('task', `Source ${src} not found`)
  if (info.type === 'directory') throw new PghaError('task', `src ${src} is a directory: pgha's copy with remote_src copies one file (Ansible's copies a directory recursively)`)
  if (info.type !== 'file') throw new PghaError('task', `Cannot copy invalid source '${src}': not a file`)
  if (info.checksum === undefined) throw new PghaError('task', `Source ${src} not readable`)
  return { path: src, size: info.size ?? 0, sha1: info.checksum, bytes: info.content === undefined ? undefined : Buffer.from(info.content), onHost: true }
}
