// A host's files as the playbook leaves them, kept in memory. File modules plan against it through an
// offline ModuleContext (the real template/copy/lineinfile/blockinfile code, so the text is exactly what
// a run would write), and their planned writes are applied here instead of on a host.
import { readFileSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { PghaError } from '../errors.js'
import { fileFact, type FileArgs, type FileInfo } from '../facts/index.js'
import type { Change, ModuleContext } from '../modules/index.js'
import type { FileStep, RenderedFile } from './types.js'

/** The write a file module plans (Change.data of modules/lib/file-ops.ts); other operations only set attributes. */
interface PlannedWrite {
  op: 'write' | 'put' | 'sh'
  path?: string
  content?: string | Buffer
  local?: string
  options?: { mode?: string; owner?: string; group?: string }
}

export class OfflineFiles {
  private readonly files = new Map<string, RenderedFile>()

  /**
   * The file fact for `path`. A file no task has written yet is missing, except to an edit (lineinfile,
   * blockinfile): the file is then assumed to exist and start empty, so the edit shows the lines it manages.
   */
  info(args: FileArgs, edit: boolean): FileInfo {
    const f = this.files.get(args.path)
    if (!f) return edit ? { path: args.path, exists: true, type: 'file', size: 0, content: '' } : { path: args.path, exists: false, type: 'absent' }
    return {
      path: f.path, exists: true, type: 'file', mode: f.mode, owner: f.owner, group: f.group, size: f.content.length,
      content: f.content.toString('utf8'), checksum: createHash('sha1').update(f.content).digest('hex'),
    }
  }

  /** Applies a plan's writes; `edit` marks a file first created by an edit as partial. */
  apply(changes: Change[], step: FileStep, edit: boolean): void {
    for (const change of changes) {
      const op = change.data as PlannedWrite | undefined
      if (!op || op.op === 'sh' || op.path === undefined) continue
      const content = op.op === 'put' ? readFileSync(op.local!) : Buffer.from(op.content ?? '')
      const before = this.files.get(op.path)
      const o = op.options ?? {}
      this.files.set(op.path, {
        path: op.path, content,
        mode: o.mode ?? before?.mode, owner: o.owner ?? before?.owner, group: o.group ?? before?.group,
        // A template or copy replaces the whole file; an edit keeps whatever the file was.
        partial: edit && (before ? before.partial : true),
        steps: [...(before?.steps ?? []), step],
      })
    }
  }

  list(): RenderedFile[] {
    return [...this.files.values()]
  }
}

export interface OfflineContextOptions {
  host: string
  vars: Record<string, unknown>
  files: OfflineFiles
  edit: boolean
  render: ModuleContext['render']
  resolveLocal: ModuleContext['resolveLocal']
}

/** A ModuleContext with no host behind it: the file fact comes from OfflineFiles, anything else refuses. */
export function offlineContext(o: OfflineContextOptions): ModuleContext {
  const refuse = (what: string) => async (): Promise<never> => {
    throw new PghaError('internal', `${what} needs the host; pgha render does not connect`)
  }
  return {
    host: o.host,
    vars: o.vars,
    check: true,
    verbosity: 0,
    signal: new AbortController().signal,
    exec: refuse('running a command'),
    fact: async <A, T>(def: { name: string }, args: A): Promise<T> => {
      if (def.name !== fileFact.name) throw new PghaError('internal', `the ${def.name} fact needs the host; pgha render does not connect`)
      return o.files.info(args as FileArgs, o.edit) as T
    },
    invalidate: () => {},
    writeFile: refuse('writing a file'),
    putFile: refuse('uploading a file'),
    readFile: refuse('reading a file'),
    resolveLocal: o.resolveLocal,
    render: o.render,
    sleep: async () => {},
    log: () => {},
  }
}
