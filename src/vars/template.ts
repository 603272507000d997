// Rendering of templated values: every playbook string is Jinja2, evaluated as Ansible evaluates it
// (src/vars/jinja/); a template file renders as the language of its extension (`.hbs` Handlebars,
// anything else Jinja2). Errors are ConfigErrors at the file:line:col of the variable, filter or token
// at fault. Values marked `!unsafe` and values that came from hosts are data: never rendered.
import { dirname, isAbsolute } from 'node:path'
import { ConfigError, type SourceLocation } from '../errors.js'
import { copyLoc, locOf } from '../yaml-source.js'
import { pureReads } from './jinja/pure.js'
import { compileTemplate, isPossiblyTemplate, JinjaError, renderNative, renderNodes, renderText, templateNames, toPlain, pyStr, type ControllerHost } from './jinja/index.js'
import { handlebarsHint } from './handlebars-hint.js'
import { describeSource, locateInText } from './position.js'
import { handlebarsVariables, renderHandlebars } from './template-hbs.js'
import { isUnsafe } from './unsafe.js'
import { isVault } from './vault.js'
import { openVaultText, VaultError } from '../secrets/vault.js'
import { ValueError } from './jinja/values.js'

type Vars = Record<string, unknown>
type Source = string | SourceLocation
/** Where a value inside a structure came from: a location, a label, or a lookup by path from the root. */
export type Locate = Source | ((path: (string | number)[]) => SourceLocation | undefined) | undefined

/** True when the string holds a Jinja2 delimiter (`{{`, `{%` or `{#`), as Ansible decides what to template. */
export function isTemplated(s: string): boolean {
  return isPossiblyTemplate(s)
}

/** The 1-based line and column of an offset in `text`. */
function lineCol(text: string, pos: number): { line: number; col: number } {
  const before = text.slice(0, pos).split('\n')
  return { line: before.length, col: before[before.length - 1].length + 1 }
}

/** Turns an engine error into a ConfigError at the position it names. */
function jinjaFailure(err: JinjaError, text: string, source: Source | undefined, file = false): ConfigError {
  // inside a template that `{% include %}` brought in: at that file's line and column
  if (err.file) return jinjaFailure(new JinjaError(err.message, err.pos, err.syntax), err.file.text, err.file.path, true)
  const { line, col } = lineCol(text, Math.min(err.pos, text.length))
  const hint = err.syntax ? handlebarsHint(text, err.pos) : ''
  const message = `${err.syntax ? 'template syntax error: ' : ''}${err.message}${hint}`
  if (file && typeof source === 'string') return new ConfigError(message, { file: source, line, col })
  if (source !== undefined && typeof source !== 'string') return new ConfigError(message, locateInText(source, text, line, col))
  const where = text.includes('\n') ? ` (template line ${line}, column ${col})` : ''
  return new ConfigError(`${describeSource(source)}${message}${where}`)
}

function guarded<T>(text: string, source: Source | undefined, fn: () => T, file = false): T {
  try {
    return fn()
  } catch (err) {
    if (err instanceof JinjaError) throw jinjaFailure(err, text, source, file)
    throw err
  }
}

/** Lookups search the directory of the file the template is written in, then the playbook's. */
class PlaybookHost implements ControllerHost {
  constructor(
    private readonly vars: Vars,
    private readonly source: Source | undefined,
  ) {}

  searchPaths(): string[] {
    const paths: string[] = []
    const source = this.source
    const file = source !== undefined && typeof source !== 'string' ? source.file : typeof source === 'string' && isAbsolute(source) ? source : undefined
    if (file !== undefined) {
      const dir = dirname(file)
      paths.push(dir)
      // a template in templates/ (or deeper in it) looks in the role or playbook holding that directory too,
      // as its task would
      const holder = /^(.*)\/(templates|files|tasks)(\/|$)/.exec(dir)
      if (holder) paths.push(holder[1] || '/')
    }
    if (typeof this.vars.playbook_dir === 'string') paths.push(this.vars.playbook_dir)
    paths.push(process.cwd())
    return [...new Set(paths)]
  }

  renderFile(text: string, path: string): string {
    return guarded(text, path, () => renderText(text, this.vars, this), true)
  }

  // Ansible's file and template lookups read through its loader, which decrypts a vault-encrypted file;
  // its text is a secret from then on, as a vault-encrypted vars file's values are.
  openText(text: string, path: string): string {
    try {
      return openVaultText(text)
    } catch (err) {
      if (err instanceof VaultError) throw new ValueError(`cannot decrypt ${path}; ${err.message}`)
      throw err
    }
  }
}

export function controllerHost(vars: Vars, source: Source | undefined): ControllerHost {
  return new PlaybookHost(vars, source)
}

/** Renders a playbook string to text (nodes joined, trailing newlines kept). */
export function renderString(text: string, vars: Vars, source: Source): string {
  if (!isTemplated(text)) return text
  return guarded(text, source, () => {
    const out = renderNodes(compileTemplate(text, 'string'), vars, controllerHost(vars, source)).map(pyStr).join('')
    const missing = text.length - text.replace(/\n+$/, '').length - (out.length - out.replace(/\n+$/, '').length)
    return missing > 0 ? out + '\n'.repeat(missing) : out
  })
}

/** A template file's text, rendered as the template module does (Jinja2), or with Handlebars for `.hbs`. */
export function renderTemplateFile(text: string, vars: Vars, path: string): string {
  if (isHandlebarsFile(path)) return renderHandlebars(text, vars, path)
  return guarded(text, path, () => renderText(text, vars, controllerHost(vars, path)), true)
}

/** An absolute path with a file extension: the template module renders a file's text through renderValue. */
const isTemplateFile = (source: Locate): source is string => typeof source === 'string' && isAbsolute(source) && /\.[A-Za-z0-9]+$/.test(source)

/** One playbook string: its native value as Ansible's templating gives it. */
function renderOne(text: string, vars: Vars, source: Source | undefined): unknown {
  try {
    return toPlain(renderNative(text, vars, () => controllerHost(vars, source)))
  } catch (err) {
    if (err instanceof JinjaError) throw jinjaFailure(err, text, source)
    throw err
  }
}

/**
 * Renders every string inside a value (objects, lists), deep. Rendered containers keep the YAML positions
 * of the originals, and an error points at the string's own position when the loader recorded one.
 * A string that is exactly one `{{ var }}` keeps the variable's type; text that reads as a list, dict or
 * boolean becomes one (Ansible's conversion). `!unsafe` values give their text, never templated.
 * A `locate` that is the absolute path of a template file renders the text as that file's language.
 */
export function renderValue(value: unknown, vars: Vars, locate?: Locate): unknown {
  if (typeof value === 'string' && isTemplateFile(locate)) return renderTemplateFile(value, vars, locate)
  const where = (container: object | undefined, key: string | number | undefined, path: (string | number)[]): Source | undefined => {
    const own = container && key !== undefined ? locOf(container, key) : undefined
    if (typeof locate === 'function') return locate(path) ?? own
    return own ?? locate
  }
  // Paths are only built when the caller locates by path: rendering runs for every task on every host.
  const track = typeof locate === 'function'
  const walk = (v: unknown, container: object | undefined, key: string | number | undefined, path: (string | number)[]): unknown => {
    if (typeof v === 'string') return isTemplated(v) ? renderOne(v, vars, where(container, key, path)) : v
    if (isUnsafe(v)) return v.text
    // a `!vault` value that was not decrypted at load (no vault password given) fails where it is used
    if (isVault(v)) throw v.useError()
    if (Array.isArray(v)) {
      const out = v.map((item, i) => walk(item, v, i, track ? [...path, i] : path))
      copyLoc(v, out)
      return out
    }
    if (isPlainObject(v)) {
      const out: Vars = {}
      for (const [k, item] of Object.entries(v)) out[k] = walk(item, v, k, track ? [...path, k] : path)
      copyLoc(v, out)
      return out
    }
    return v
  }
  return walk(value, undefined, undefined, [])
}

function isPlainObject(v: unknown): v is Vars {
  if (v === null || typeof v !== 'object') return false
  const proto = Object.getPrototypeOf(v)
  return proto === Object.prototype || proto === null
}

/** The language of a template file, by its extension: `.hbs` is Handlebars, anything else Jinja2. */
const isHandlebarsFile = (file: string): boolean => file.endsWith('.hbs')
/** Playbooks, vars files and inventories hold playbook strings; any other file is a template file. */
const isPlaybookFile = (file: string): boolean => /\.(ya?ml|json|ini|cfg)$|(^|\/)hosts$/.test(file)

/**
 * Root variable names a template references (not the names it sets, nor those only tested or defaulted).
 * A `source` in a template file (not a playbook) reads the text as that file's language.
 */
export function templateVariables(text: string, source?: Source): string[] {
  const file = source !== undefined && typeof source !== 'string' ? source.file : undefined
  if (file !== undefined && isHandlebarsFile(file)) return handlebarsVariables(text, source)
  if (!isTemplated(text)) return []
  const mode = file !== undefined && !isPlaybookFile(file) ? 'file' : 'string'
  return guarded(text, source, () => templateNames(compileTemplate(text, mode).stmts))
}

/**
 * The names renderValue's rendering of `value` depends on, when it depends on nothing else: each templated
 * text in it is pure (pureTemplateReads), walked as renderValue walks it (lists and mappings; `!unsafe`
 * text and any other value are kept as they are; a `!vault` value fails).
 */
export function pureValueReads(value: unknown): string[] | undefined {
  const names = new Set<string>()
  const walk = (v: unknown): boolean => {
    if (typeof v === 'string') {
      if (!isTemplated(v)) return true
      const reads = pureTemplateReads(v)
      reads?.forEach((n) => names.add(n))
      return reads !== undefined
    }
    if (isUnsafe(v)) return true
    if (isVault(v)) return false
    if (Array.isArray(v)) return v.every(walk)
    if (isPlainObject(v)) return Object.values(v).every(walk)
    return true
  }
  return walk(value) ? [...names] : undefined
}

/** The names a playbook string's rendering depends on, when it depends on nothing else (jinja/pure.ts). */
export function pureTemplateReads(text: string): string[] | undefined {
  try {
    return pureReads(compileTemplate(text, 'string').stmts)
  } catch {
    return undefined // not a template that renders: it fails where it is rendered
  }
}
