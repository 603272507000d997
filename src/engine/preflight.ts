// Everything is validated before any host is contacted: extra vars, inventory, playbook (structure,
// modules, parameters), host patterns, vars_files, and every variable a template or condition names.
// All problems are collected and thrown together as ConfigErrors (exit 1).
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { ConfigError, ConfigErrors } from '../errors.js'
import type { Inventory, Vars } from '../inventory/types.js'
import { loadInventory, checkPattern, selectHosts } from '../inventory/index.js'
import { getModule, modules } from '../modules/index.js'
import { loadPlaybook, collectTemplateSources, definedAtRunTime, type Playbook } from '../playbook/index.js'
import { isTemplated, loadVarsFile, parseExtraVars, MAGIC_VARIABLES } from '../vars/index.js'
import { factVars } from './gather-facts.js'
import type { RunOptions } from './options.js'

export interface Prepared {
  inventory: Inventory
  playbook: Playbook
  extraVars: Vars
  /** Hosts --limit allows (undefined: no limit). */
  limit?: Set<string>
}

export function prepare(options: RunOptions): Prepared {
  const errors: ConfigError[] = []
  const attempt = <T>(fn: () => T): T | undefined => {
    try {
      return fn()
    } catch (err) {
      if (err instanceof ConfigErrors) errors.push(...err.errors)
      else if (err instanceof ConfigError) errors.push(err)
      else throw err
      return undefined
    }
  }
  const extraVars = attempt(() => parseExtraVars(options.extraVars ?? [])) ?? {}
  const inventory = attempt(() => loadInventory(options.inventory))
  const playbook = attempt(() => loadPlaybook(options.playbook, { modules: getModule, moduleNames: [...modules.keys()] }))
  let limit: Set<string> | undefined
  if (inventory && options.limit) {
    const err = checkPattern(inventory, options.limit)
    if (err) errors.push(new ConfigError(`--limit: ${err.message}`))
    else limit = new Set(selectHosts(inventory, options.limit))
  }
  if (inventory && playbook) {
    const fileVars: Vars = {}
    for (const play of playbook.plays) {
      const err = checkPattern(inventory, play.hosts, play.hostsLoc)
      if (err) errors.push(err)
      for (const vf of play.varsFiles) {
        if (isTemplated(vf.path)) continue
        const path = resolve(play.baseDir, vf.path)
        if (!existsSync(path)) errors.push(new ConfigError(`vars_files: ${vf.path} not found (looked for ${path})`, vf.loc))
        else attempt(() => Object.assign(fileVars, loadVarsFile(path, vf.loc)))
      }
    }
    errors.push(...undefinedVariables(inventory, playbook, { ...fileVars, ...extraVars }))
  }
  if (errors.length > 0) throw new ConfigErrors(errors)
  return { inventory: inventory!, playbook: playbook!, extraVars, limit }
}


/** Names no scope can define are typos: report them with their position before any host is contacted. */
function undefinedVariables(inv: Inventory, pb: Playbook, extra: Vars): ConfigError[] {
  const known = new Set<string>([...MAGIC_VARIABLES, ...Object.keys(extra), ...definedAtRunTime(pb)])
  for (const k of Object.keys(factVars({ os_family: '', distribution: '', distribution_major_version: '', pkg_mgr: 'apt', service_mgr: '', hostname: '', default_ipv4: '' }))) known.add(k)
  for (const h of inv.hosts.values()) for (const k of Object.keys(h.vars)) known.add(k)
  for (const g of inv.groups.values()) for (const k of Object.keys(g.vars)) known.add(k)
  for (const play of pb.plays) for (const k of Object.keys(play.vars)) known.add(k)
  const out: ConfigError[] = []
  for (const src of collectTemplateSources(pb)) {
    for (const name of src.variables) {
      if (!known.has(name) && !src.local.has(name)) out.push(new ConfigError(`undefined variable '${name}' in ${src.kind}`, src.loc))
    }
  }
  return out
}
