// What `pgha render` produces: for each host, the files the playbook would write there and the notes on
// what could not be decided without the host.
import type { SourceLocation } from '../errors.js'

export interface RenderOptions {
  playbook: string
  inventory: string
  /** Raw `-e` values, parsed like `pgha run` parses them. */
  extraVars?: string[]
  limit?: string
}

/** One task's contribution to a file. */
export interface FileStep {
  /** The module that wrote or edited it (template, copy, lineinfile, blockinfile). */
  module: string
  task: string
  loc: SourceLocation
}

export interface RenderedFile {
  /** Absolute path on the host. */
  path: string
  content: Buffer
  /** Octal mode as the task sets it ('0440'), when it sets one. */
  mode?: string
  owner?: string
  group?: string
  /**
   * True when the first task to touch the file edits it (lineinfile, blockinfile): the host's file has
   * more lines than the ones shown, which are where the playbook would put them in an empty file.
   */
  partial: boolean
  /** Every task that wrote or edited the file, in order. */
  steps: FileStep[]
}

/** Something render could not decide offline, or a task that would fail on the host. */
export interface RenderNote {
  loc?: SourceLocation
  task?: string
  message: string
  /** The task would fail on the host (its file is missing from the render). */
  error?: boolean
}

export interface HostRender {
  host: string
  /** In the order the tasks first wrote them. */
  files: RenderedFile[]
  notes: RenderNote[]
}

export interface RenderResult {
  playbook: string
  inventory: string
  hosts: HostRender[]
}
