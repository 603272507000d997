// The plan lineinfile and blockinfile share: read a text file (following links, as Ansible writes to the
// link's target), let the module edit its text, and plan the write or the attribute fix.
import { PghaError } from '../../errors.js'
import { fileFact, type FactRead, type FileArgs, type FileInfo } from '../../facts/index.js'
import type { Change, ModuleContext } from '../types.js'
import { planAttrs, planContent, type Attrs } from './file-plan.js'
import type { FileOp } from './file-ops.js'

/** Largest file lineinfile/blockinfile will edit. */
const EDIT_MAX = 16 * 1024 * 1024

export interface EditWant extends Attrs {
  path: string
  create: boolean
  backup?: boolean
  validate?: string
  /** Whether the edit wants the file to exist (state=present). */
  present: boolean
  /**
   * blockinfile's answer to a missing file without create, as Ansible's module gives it: "Path ... does not
   * exist !", for state=absent too. lineinfile says "Destination", and has nothing to remove from no file.
   */
  missingFileFails?: 'Path'
}

/** Splits text into lines that keep their line endings. */
export const splitLines = (text: string): string[] => text.match(/[^\n]*\n|[^\n]+$/g) ?? []

/** The one fact an edit reads: the file, through links, with its text. */
export const editRead = (path: string): FactRead<FileArgs, FileInfo> => ({ def: fileFact, args: { path, follow: true, content: EDIT_MAX } })

export async function planEdit(ctx: ModuleContext, want: EditWant, edit: (text: string) => string): Promise<Change<FileOp>[]> {
  const { def, args } = editRead(want.path)
  const info = await ctx.fact(def, args)
  if (info.type === 'directory') throw new PghaError('task', `${want.path} is a directory`)
  if (!info.exists) {
    if (!want.create && (want.present || want.missingFileFails)) throw new PghaError('task', `${want.missingFileFails ?? 'Destination'} ${want.path} does not exist !`)
    if (!want.present) return []
  } else if (info.content === undefined) {
    const why = info.binary ? 'is not a text file' : info.unreadable ? 'cannot be read' : 'is too large to edit'
    throw new PghaError('task', `${want.path} ${why}`)
  }
  const target = { ...info, path: info.realpath ?? want.path }
  const after = edit(info.content ?? '')
  if (info.exists && after === info.content) {
    const attrs = planAttrs(target, want)
    return attrs ? [attrs] : []
  }
  return planContent(target, { ...want, content: after })
}
