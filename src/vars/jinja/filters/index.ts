// Every filter a template may use, by name: Jinja2's built-in filters, Ansible's core filters and pgha's
// line-format filters (filters/line-formats.ts) and community.general's json_query.
import type { Callable } from '../types.js'
import { CONDITION_VALUE_FILTERS } from './condition-values.js'
import { DATA_FILTERS } from './data.js'
import { DICT_FILTERS } from './dicts.js'
import { JSON_QUERY_FILTERS } from './json-query.js'
import { LINE_FORMAT_FILTERS } from './line-formats.js'
import { LIST_FILTERS } from './lists.js'
import { NUMBER_FILTERS } from './numbers.js'
import { PATH_FILTERS } from './paths.js'
import { SET_FILTERS } from './sets.js'
import { STRING_FILTERS } from './strings.js'

export const FILTERS: Record<string, Callable> = Object.assign(Object.create(null) as Record<string, Callable>, STRING_FILTERS, LIST_FILTERS, SET_FILTERS, DICT_FILTERS, NUMBER_FILTERS, DATA_FILTERS, PATH_FILTERS, LINE_FORMAT_FILTERS, CONDITION_VALUE_FILTERS, JSON_QUERY_FILTERS)
