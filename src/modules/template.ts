// template: renders a template from templates/ (Jinja2, or Handlebars for .hbs) with the task's variables and writes it to dest.
import { resolve } from 'node:path'
import { z } from 'zod'
import { defineModule } from './types.js'
import { attrParams, bool, writeParams } from './lib/params.js'
import { decryptedLocal, destRead, planCopy, readLocal } from './lib/copy-plan.js'
import { applyFileOps } from './lib/file-ops.js'
import { absolutePathParam } from './lib/value-kinds.js'

export default defineModule({
  name: 'template',
  description: "Render a template from the playbook's templates/ (Jinja2; .hbs files Handlebars) and write it to a path on the host",
  params: z
    .object({
      src: z.string().describe("Template file, relative to the playbook's templates/ directory: Jinja2 as Ansible renders it (.j2), Handlebars for .hbs."),
      dest: absolutePathParam().describe('Absolute path on the host; a directory receives the template under its own name.'),
      force: bool(true, 'Replace the file when its content differs; no: only create it when missing.'),
      ...attrParams,
      ...writeParams,
    })
    .strict(),
  reads: (p) => (p.dest.endsWith('/') ? [] : [destRead(p.dest)]),
  async plan(ctx, p) {
    const local = ctx.resolveLocal('templates', p.src)
    // A template encrypted with Ansible Vault is decrypted, as Ansible's template action reads it (get_real_file).
    const text = decryptedLocal('template', local) ?? readLocal('template', local).toString('utf8')
    const srcName = p.src.replace(/\.(hbs|j2|jinja2)$/, '')
    // rendered as a template file (its language by extension) only when named by an absolute path
    return planCopy(ctx, { ...p, content: ctx.render(text, resolve(local)), srcName })
  },
  apply: applyFileOps,
})
