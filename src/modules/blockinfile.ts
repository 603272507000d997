// blockinfile: keeps a block of lines between two marker lines in a text file, inserted once where
// insertafter/insertbefore say, replaced in place afterwards, removed with state=absent.
import { z } from 'zod'
import { defineModule } from './types.js'
import { attrParams, bool, writeParams } from './lib/params.js'
import { editRead, planEdit, splitLines } from './lib/text-edit.js'
import { applyFileOps } from './lib/file-ops.js'
import { hostPathParam, singleLineParam } from './lib/value-kinds.js'

const params = z
  .object({
    path: hostPathParam().describe('The file to edit.'),
    block: z.string().default('').describe('The lines to keep between the markers; empty removes the block.'),
    marker: singleLineParam().default('# {mark} ANSIBLE MANAGED BLOCK').describe('Marker line template; {mark} becomes marker_begin or marker_end.'),
    marker_begin: singleLineParam().default('BEGIN').describe('What {mark} becomes in the first marker.'),
    marker_end: singleLineParam().default('END').describe('What {mark} becomes in the last marker.'),
    state: z.enum(['present', 'absent']).default('present').describe('Whether the block should be there.'),
    insertafter: z.string().optional().describe('Insert after the last line matching this regexp, or EOF (default).'),
    insertbefore: z.string().optional().describe('Insert before the last line matching this regexp, or BOF.'),
    create: bool(false, 'Create the file when it is missing.'),
    ...attrParams,
    ...writeParams,
  })
  .strict()
  .refine((p) => p.insertafter === undefined || p.insertbefore === undefined, { message: 'insertafter and insertbefore are exclusive' })

type Params = z.output<typeof params>

/** The file's text with the block in place (or removed), as Ansible's blockinfile computes it. */
export function withBlock(text: string, p: Params): string {
  const lines = splitLines(text)
  const begin = p.marker.replaceAll('{mark}', p.marker_begin)
  const end = p.marker.replaceAll('{mark}', p.marker_end)
  const blockLines =
    p.state === 'present' && p.block !== '' ? [begin, ...p.block.replace(/\n$/, '').split('\n'), end].map((l) => `${l}\n`) : []
  let n0 = -1
  let n1 = -1
  lines.forEach((l, i) => {
    const bare = l.replace(/\r?\n$/, '')
    if (bare === begin) n0 = i
    if (bare === end) n1 = i
  })
  if (n0 === -1 || n1 === -1) {
    const anchor = p.insertafter ?? p.insertbefore
    if (anchor !== undefined && anchor !== 'EOF' && anchor !== 'BOF') {
      const re = new RegExp(anchor)
      n0 = -1
      lines.forEach((l, i) => {
        if (re.test(l.replace(/\r?\n$/, ''))) n0 = i
      })
      n0 = n0 === -1 ? lines.length : p.insertafter !== undefined ? n0 + 1 : n0
    } else n0 = anchor === 'BOF' ? 0 : lines.length
  } else if (n0 < n1) lines.splice(n0, n1 - n0 + 1)
  else {
    lines.splice(n1, n0 - n1 + 1)
    n0 = n1
  }
  if (blockLines.length > 0 && n0 > 0 && !lines[n0 - 1].endsWith('\n')) lines[n0 - 1] += '\n'
  lines.splice(n0, 0, ...blockLines)
  return lines.join('')
}

export default defineModule({
  name: 'blockinfile',
  aliases: { content: 'block', dest: 'path', destfile: 'path', name: 'path' },
  description: 'Insert, update or remove a block of lines between marker lines in a text file',
  params,
  reads: (p) => [editRead(p.path)],
  plan: (ctx, p) => planEdit(ctx, { ...p, present: p.state === 'present', missingFileFails: 'Path' }, (text) => withBlock(text, p)),
  apply: applyFileOps,
})
