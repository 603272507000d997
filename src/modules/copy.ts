// copy: puts a controller file (src, from files/) or literal text (content) at dest on the host. A src
// encrypted with Ansible Vault is decrypted first, as Ansible's copy action does, unless decrypt is false.
import { z } from 'zod'
import { defineModule } from './types.js'
import { attrParams, bool, writeParams } from './lib/params.js'
import { copySource, destRead, planCopy } from './lib/copy-plan.js'
import { applyFileOps } from './lib/file-ops.js'
import { absolutePathParam } from './lib/value-kinds.js'

export default defineModule({
  name: 'copy',
  description: 'Copy a file from the controller, or write given content, to a path on the host',
  params: z
    .object({
      dest: absolutePathParam().describe('Absolute path on the host; a directory (or a path ending in /) receives src under its own name.'),
      src: z.string().optional().describe("Controller file, relative to the playbook's files/ directory. Exclusive with content."),
      content: z.string().optional().describe('Text to write instead of src.'),
      force: bool(true, 'Replace the file when its content differs; no: only create it when missing.'),
      decrypt: bool(true, "Decrypt a src encrypted with Ansible Vault with the run's vault passwords (its text is then a secret); no: copy it encrypted."),
      ...attrParams,
      ...writeParams,
    })
    .strict()
    .refine((p) => (p.src === undefined) !== (p.content === undefined), { message: 'give exactly one of src and content' }),
  reads: (p) => (p.dest.endsWith('/') ? [] : [destRead(p.dest)]),
  async plan(ctx, p) {
    // a src file is streamed to the host: known here by size and checksum, never read whole
    const content = p.src !== undefined ? copySource('copy', ctx.resolveLocal('files', p.src), p.decrypt) : (p.content ?? '')
    return planCopy(ctx, { ...p, content, srcName: p.src })
  },
  apply: applyFileOps,
})
