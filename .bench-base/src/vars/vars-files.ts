// Variables from files (`vars_files:`, `-e @file.yml`) and from the command line (`-e k=v`, `-e '{...}'`).
import { ConfigError, ConfigErrors, registerSource, type SourceLocation } from '../errors.js'
import { locOf, loadYamlFile, parseYaml } from '../yaml-source.js'

type Vars = Record<string, unknown>

function mapping(value: unknown, what: string, at: SourceLocation): Vars {
  if (value === null || value === undefined) return {} // an empty file defines nothing
  if (typeof value === 'object' && !Array.isArray(value)) return value as Vars
  const got = Array.isArray(value) ? 'a list' : `a ${typeof value}`
  throw new ConfigErrors([new ConfigError(`${what} must be a mapping of variable names to values, got ${got}`, locOf(value) ?? at)])
}

/** Loads a YAML vars file; a missing file is reported at `fromLoc` (where the file is named). */
export function loadVarsFile(path: string, fromLoc?: SourceLocation): Vars {
  return mapping(loadYamlFile(path, fromLoc), `vars file ${path}`, { file: path, line: 1, col: 1 })
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

/** `k=v k2='a b'`: shell-like words; values stay strings, as with ansible-playbook. */
function parseKeyValues(text: string, file: string): Vars {
  const out: Vars = {}
  const word = /\s*((?:[^\s'"]+|'[^']*'|"(?:\\.|[^"\\])*")+)/gy
  let pos = 0
  for (;;) {
    word.lastIndex = pos
    const m = word.exec(text)
    if (!m) break // a failed sticky match resets lastIndex, hence `pos`
    pos = word.lastIndex
    const raw = m[1]
    const col = m.index + m[0].length - raw.length + 1
    const eq = raw.indexOf('=')
    const key = eq < 0 ? '' : raw.slice(0, eq)
    if (!NAME.test(key)) {
      const why = eq < 0
        ? `expected key=value, a JSON/YAML mapping or @file, got '${raw}'${NAME.test(raw) ? ` (write ${raw}=VALUE)` : ''}`
        : `'${key}' is not a valid variable name (letters, digits and _, not starting with a digit)`
      throw new ConfigErrors([new ConfigError(`-e argument: ${why}`, { file, line: 1, col })])
    }
    out[key] = raw.slice(eq + 1).replace(/'([^']*)'|"((?:\\.|[^"\\])*)"/g, (_, single?: string, double?: string) =>
      single ?? (double ?? '').replace(/\\(.)/g, '$1'),
    )
  }
  const rest = text.slice(pos)
  if (rest.trim() !== '') {
    const col = pos + rest.length - rest.trimStart().length + 1
    throw new ConfigErrors([new ConfigError('-e argument: unterminated quote', { file, line: 1, col })])
  }
  return out
}

/**
 * Parses `-e` values in order (later wins per key): `k=v ...`, a JSON or YAML mapping, or `@file.yml`.
 * Each argument is registered as a pseudo-file named `-e #N` so errors show it with a caret.
 */
export function parseExtraVars(values: string[]): Vars {
  const out: Vars = {}
  values.forEach((text, i) => {
    const file = `-e #${i + 1}`
    registerSource(file, text)
    const trimmed = text.trim()
    const at: SourceLocation = { file, line: 1, col: text.length - text.trimStart().length + 1 }
    let vars: Vars
    if (trimmed.startsWith('@')) {
      const path = trimmed.slice(1)
      if (path === '') throw new ConfigErrors([new ConfigError('-e argument: @ needs a file name', at)])
      vars = loadVarsFile(path, { ...at, col: at.col + 1 })
    } else if (trimmed.startsWith('{')) {
      vars = mapping(parseYaml(text, file), '-e argument', at)
    } else {
      vars = parseKeyValues(text, file)
    }
    Object.assign(out, vars)
  })
  return out
}
