// `pgha render`: every config file each host would get from a playbook, rendered offline (no host is
// contacted) from the inventory, extra vars and pgha_render_facts, for review before a run.
import { resolve } from 'node:path'
import { answerPrompts, prepare, type Prepared } from '../engine/index.js'
import { ConfigErrors } from '../errors.js'
import { hostSecrets, secretValues } from '../secrets/index.js'
import type { RenderOptions, RenderResult } from './types.js'
import { walkPlaybook } from './walk.js'

/** Validates the input exactly as `pgha run` does (ConfigErrors, nothing contacted), then walks it. */
export async function renderPlaybook(options: RenderOptions): Promise<RenderResult> {
  const prepared = prepare({ playbook: options.playbook, inventory: options.inventory, extraVars: options.extraVars, limit: options.limit })
  // vars_prompt is answered as a run without a terminal answers it: -e, else the default, else an input error.
  const prompted = answerPrompts(prepared.playbook, prepared.extraVars, undefined)
  if (prompted.errors.length > 0) throw new ConfigErrors(prompted.errors)
  const hosts = (await walkPlaybook(prepared)).map((h) => ({ ...h, secrets: [...new Set([...renderSecrets(prepared, h.host), ...prompted.secrets])] }))
  return { playbook: resolve(options.playbook), inventory: resolve(options.inventory), hosts, warnings: prepared.inventory.warnings ?? [] }
}

/** What render's notes and errors about a host must not show: its secrets, as a run would know them before it starts. */
function renderSecrets(p: Prepared, host: string): string[] {
  const plays = p.playbook.plays.flatMap((play) => secretValues({ ...play.vars, ...p.extraVars }))
  return [...new Set([...hostSecrets({ inventory: p.inventory, extraVars: p.extraVars, options: {} }, host), ...plays])]
}

export { writeTree, MARKER, type WriteOptions } from './write-tree.js'
export { listing, noteLine, LISTING } from './listing.js'
export { renderFacts, RENDER_FACTS } from './render-facts.js'
export type { RenderOptions, RenderResult, HostRender, RenderedFile, RenderNote, FileStep } from './types.js'
