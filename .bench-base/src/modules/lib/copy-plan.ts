// The plan copy and template share: resolve the destination (a directory gets the source's basename),
// honour force=no, and compare content and attributes.
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { ConfigError, PghaError } from '../../errors.js'
import { fileFact, type FactRead, type FileArgs, type FileInfo } from '../../facts/index.js'
import type { Change, ModuleContext } from '../types.js'
import { contentArgs, planContent, type ContentWant } from './file-plan.js'

export interface CopyWant extends ContentWant {
  dest: string
  /** Controller-side source name, for dest directories. */
  srcName?: string
  force: boolean
}

/** The fact copy and template read first: dest's content (a dest ending in / is read once the name is known). */
export function destRead(dest: string): FactRead<FileArgs, FileInfo> {
  return { def: fileFact, args: contentArgs(dest) }
}

export async function planCopy(ctx: ModuleContext, want: CopyWant): Promise<Change[]> {
  let dest = want.dest
  if (dest.endsWith('/')) {
    if (!want.srcName) throw new PghaError('task', `dest ${dest} is a directory: give a file name when using content`)
    dest += basename(want.srcName)
  }
  const { def, args } = destRead(dest)
  let info = await ctx.fact(def, args)
  if (info.type === 'directory' && want.srcName) info = await ctx.fact(fileFact, contentArgs(`${dest}/${basename(want.srcName)}`))
  if (!want.force && info.exists) return []
  return planContent(info, want)
}

/** Reads a controller-side source; a missing or unreadable one is an input error. */
export function readLocal(module: string, local: string): Buffer {
  try {
    return readFileSync(local)
  } catch (err) {
    throw new ConfigError(`${module}: cannot read src ${local}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`)
  }
}
