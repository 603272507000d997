// `pgha render`: every config file each host would get from a playbook, rendered offline (no host is
// contacted) from the inventory, extra vars and pgha_render_facts, for review before a run.
import { resolve } from 'node:path'
import { prepare } from '../engine/index.js'
import type { RenderOptions, RenderResult } from './types.js'
import { walkPlaybook } from './walk.js'

/** Validates the input exactly as `pgha run` does (ConfigErrors, nothing contacted), then walks it. */
export async function renderPlaybook(options: RenderOptions): Promise<RenderResult> {
  const prepared = prepare({ playbook: options.playbook, inventory: options.inventory, extraVars: options.extraVars, limit: options.limit })
  return { playbook: resolve(options.playbook), inventory: resolve(options.inventory), hosts: await walkPlaybook(prepared) }
}

export { writeTree, MARKER, type WriteOptions } from './write-tree.js'
export { listing, noteLine, LISTING } from './listing.js'
export { renderFacts, RENDER_FACTS } from './render-facts.js'
export type { RenderOptions, RenderResult, HostRender, RenderedFile, RenderNote, FileStep } from './types.js'
