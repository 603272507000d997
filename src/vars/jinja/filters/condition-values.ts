// The two filters pgha adds for itself, for a `{{ }}` written inside a condition (vars/condition-embedded.ts).
// Ansible renders such a condition to text and evaluates the text. Inside a quoted string the value's
// text is what Ansible puts there (None prints as nothing). Outside one, the text is read back as code:
// a number or a list of literals reads back as itself, but a string such as `a == b` or `lookup(...)`
// would be run as an expression; pgha takes the value when it reads back as a literal (the same value
// Ansible gets) and refuses anything else: data is never code.
import type { Callable } from '../types.js'
import { readLiteral } from '../literal.js'
import { JinjaError } from '../errors.js'
import { pyStr } from '../values.js'

/** Their names start with `_` so no catalogue lists them; condition-embedded.ts writes them, no author needs to. */
export const CONDITION_VALUE_FILTER = '_pgha_condition_value'
export const CONDITION_TEXT_FILTER = '_pgha_condition_text'

const refuse = (shown: string, why: string): never => {
  // a JinjaError as it is (not a ValueError the evaluator prefixes with this filter's name, which no author wrote)
  throw new JinjaError(`a {{ }} in this condition gives ${shown}, ${why}; compare the variable itself (\`when: x == "text"\`, not \`when: "{{ x }} == text"\`)`, 0)
}

export const CONDITION_VALUE_FILTERS: Record<string, Callable> = {
  [CONDITION_VALUE_FILTER]: {
    params: [],
    fn: (_c, v) => {
      if (v === null) return refuse('None', 'which Ansible prints as nothing, leaving a gap in the expression')
      if (typeof v !== 'string') return v
      const read = readLiteral(v.trim())
      if (read) return read.value
      return refuse(JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}...` : v), 'which is not a literal: Ansible would evaluate that text as an expression, and pgha does not run a value as code')
    },
  },
  [CONDITION_TEXT_FILTER]: { params: [], fn: (_c, v) => (v === null ? '' : pyStr(v)) },
}
