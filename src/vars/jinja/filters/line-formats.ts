// pgha's line-format filters: the formats of src/shell/line-formats.ts for the values a playbook writes into
// line-oriented files (`{{ item.value | conf_value }}`, `{{ address | hosts_field }}`), the same functions
// the Handlebars helpers of .hbs templates use. A value the format cannot hold fails the template.
import { confQuote, confValue, conninfo, hbaField, hostsField, sudoersWord, unitValue, unitWord } from '../../../shell/line-formats.js'
import type { Callable } from '../types.js'
import { isMapping, pyStr, ValueError } from '../values.js'

type Filters = Record<string, Callable>

/** A format as a filter: its refusal becomes the template's error. */
function formatFilter(format: (v: string) => string): Callable {
  return {
    params: [],
    fn: (_c, v) => {
      try {
        return format(v === null || v === undefined ? '' : pyStr(v))
      } catch (err) {
        throw new ValueError((err as Error).message)
      }
    },
  }
}

export const LINE_FORMAT_FILTERS: Filters = {
  conf_quote: formatFilter(confQuote),
  conf_value: formatFilter(confValue),
  hba_field: formatFilter(hbaField),
  hosts_field: formatFilter(hostsField),
  sudoers_word: formatFilter(sudoersWord),
  unit_value: formatFilter(unitValue),
  unit_word: formatFilter((v) => unitWord(v, 'exec')),
  unit_env: formatFilter((v) => unitWord(v, 'environment')),
  /** `{{ {'host': h, 'port': 5432} | conninfo }}`: a libpq conninfo string, each value quoted as libpq reads it. */
  conninfo: {
    params: [],
    fn: (_c, v) => {
      if (!isMapping(v)) throw new ValueError('conninfo expects a mapping of keywords to values')
      try {
        return conninfo(Object.fromEntries(Object.entries(v).map(([k, x]) => [k, x === null || x === undefined ? undefined : pyStr(x)])))
      } catch (err) {
        throw new ValueError((err as Error).message)
      }
    },
  },
}
