// The items of a `with_<lookup>` loop, as Ansible's task executor makes them: the terms are templated
// (listify_lookup_plugin_terms: a string is stripped and templated, and a result that is a string or not a
// list becomes a one-item list), then given to the lookup of that name. first_found drops the terms that
// use an undefined variable instead of failing, and searches templates/ for a template task, vars/ for
// include_vars, files/ otherwise, as Ansible does.
import { ConfigError, type SourceLocation } from '../errors.js'
import { isMapping, JinjaError, runLoopLookup } from './jinja/index.js'
import { controllerHost, renderValue } from './template.js'

type Vars = Record<string, unknown>

/** The subdirectory a task's module gives first_found: Ansible checks 'template', 'var', 'file' in its action name. */
export function lookupSubdir(module: string): string {
  for (const sub of ['template', 'var', 'file']) if (module.includes(sub)) return `${sub}s`
  return 'files'
}

function templated(raw: unknown, vars: Vars, loc: SourceLocation): unknown {
  return renderValue(typeof raw === 'string' ? raw.trim() : raw, vars, loc)
}

/** The terms first_found sees: each top-level term that renders, the ones that cannot left out. */
function lenientTerms(raw: unknown, vars: Vars, loc: SourceLocation): unknown {
  if (!Array.isArray(raw)) {
    try {
      return templated(raw, vars, loc)
    } catch (err) {
      if (err instanceof ConfigError) return []
      throw err
    }
  }
  return raw.flatMap((t) => {
    try {
      return [templated(t, vars, loc)]
    } catch (err) {
      if (err instanceof ConfigError) return []
      throw err
    }
  })
}

/** The items of `with_<name>: raw` on a host with `vars`; a lookup's failure is a ConfigError at `loc`. */
export function withLoopItems(name: string, raw: unknown, vars: Vars, loc: SourceLocation, module: string): unknown[] {
  let terms = name === 'first_found' ? lenientTerms(raw, vars, loc) : templated(raw, vars, loc)
  if (!Array.isArray(terms) && !isMapping(terms)) terms = [terms]
  const host = controllerHost(vars, loc)
  const withSubdir = Object.assign(Object.create(host) as object, { subdir: lookupSubdir(module) }) as typeof host
  try {
    // Ansible wraps the items (wrap_var), which makes the lookups' tuples lists
    return runLoopLookup(name, terms, vars, withSubdir).map((item) => (Array.isArray(item) ? [...item] : item))
  } catch (err) {
    if (err instanceof JinjaError) throw new ConfigError(`with_${name}: ${err.message}`, loc)
    throw err
  }
}
