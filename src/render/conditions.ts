// `when` decided without the host: a condition on inventory, play or extra vars (and on facts when the
// inventory gives pgha_render_facts) is evaluated as the engine would; one that reads a value only a run
// produces (a registered result, set_fact, facts nobody gave) cannot be, so it is assumed to hold and a
// note says so — rendering a file the run might skip is safer for a review than hiding it.
import { ConfigError, type SourceLocation } from '../errors.js'
import type { Condition, Vars } from '../playbook/index.js'
import { evaluateCondition, expressionVariables, parseExpression } from '../vars/index.js'
import { FACT_VARIABLES } from '../engine/index.js'
import type { RenderNote } from './types.js'

/** The variable names gathered facts define (ansible_facts, ansible_os_family, ...). */
export const FACT_NAMES: ReadonlySet<string> = new Set(FACT_VARIABLES)

export interface Decider {
  /**
   * Why a name has no value offline (registered results and set_fact: only a run defines them; facts
   * when the host has no pgha_render_facts), or undefined when it has one.
   */
  unknown(name: string): string | undefined
  note(note: RenderNote): void
}

/** True when every condition holds or cannot be decided offline (then noted as assumed). */
export function conditionsHold(conds: readonly Condition[], vars: Vars, d: Decider, task: string): boolean {
  for (const c of conds) {
    const undecided = expressionVariables(parseExpression(c.expr, c.loc)).flatMap((n) => {
      const why = d.unknown(n)
      return why ? [`${n} (${why})`] : []
    })
    if (undecided.length > 0) {
      d.note({ loc: c.loc, task, message: `condition '${c.expr}' reads ${undecided.join(', ')}: assumed true` })
      continue
    }
    try {
      if (!evaluateCondition(c.expr, vars, c.loc)) return false
    } catch (err) {
      d.note({ loc: locOf(err, c.loc), task, message: `condition '${c.expr}' cannot be evaluated offline (${messageOf(err)}): assumed true` })
    }
  }
  return true
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

export function locOf(err: unknown, fallback: SourceLocation): SourceLocation {
  return (err instanceof ConfigError && err.loc) || fallback
}
