// The strings to scrub for a host: its become/connection passwords, password-like variables and the
// variables listed in `secret_vars` (values from inventory, play scope is added per task by no_log).
import { secretValues } from '../vars/index.js'
import type { RunContext } from './run-context.js'

export function hostSecrets(run: RunContext, host: string): string[] {
  const inv = run.inventory.hosts.get(host)
  if (!inv) return []
  const vars = { ...inv.vars, ...run.extraVars }
  const listed = Array.isArray(vars.secret_vars) ? (vars.secret_vars as unknown[]).map(String) : []
  return secretValues(vars, new Set(listed))
}
