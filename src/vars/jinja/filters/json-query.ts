// community.general.json_query: a JMESPath query over a value, as Ansible's filter runs jmespath.search.
// jmespath (npm) is the JMESPath project's own JavaScript implementation, passing the same compliance suite
// as the Python library Ansible uses.
import jmespath from 'jmespath'
import { Undefined, undefinedError } from '../errors.js'
import type { Callable } from '../types.js'
import { pyStr, toPlain, ValueError } from '../values.js'

type JsonValue = Parameters<typeof jmespath.search>[0]

export const JSON_QUERY_FILTERS: Record<string, Callable> = {
  json_query: {
    params: ['expr'],
    fn: (_c, v, [expr]) => {
      if (v instanceof Undefined) throw undefinedError(v)
      if (expr instanceof Undefined) throw undefinedError(expr)
      try {
        // PyFloat boxes and unsafe text become plain data: jmespath compares and types JSON values only.
        return jmespath.search(toPlain(v) as JsonValue, pyStr(expr)) as unknown
      } catch (err) {
        throw new ValueError(`JMESPathError in json_query filter plugin:\n${(err as Error).message}`)
      }
    },
  },
}
