// What filters, tests, methods and lookups receive from the evaluator: a way to apply other filters and
// tests (map, select), Jinja2's attribute access (attribute=), and the controller side of lookups.

export interface CallContext {
  filter(name: string, value: unknown, args: unknown[], kwargs?: Record<string, unknown>): unknown
  test(name: string, value: unknown, args: unknown[], kwargs?: Record<string, unknown>): boolean
  /** `obj.name` as a template reads it (a dotted path `a.b` for attribute= arguments). */
  attribute(obj: unknown, path: string | number): unknown
  /** The variables of the template (lookup('vars', ...)). */
  variable(name: string): unknown
  /** The controller side: files, environment, templates. */
  host: ControllerHost
}

export interface ControllerHost {
  /** Directories a relative lookup path is searched in, in order (each also with files/ or templates/). */
  searchPaths(): string[]
  /** Renders a Jinja2 template file's text with the template's variables (lookup('template')). */
  renderFile(text: string, path: string): string
  /**
   * The text of a file the file and template lookups read, as Ansible's loader gives it to them (a
   * vault-encrypted file decrypted); the text as read when unset. Not for {% include %}: Jinja2's loader
   * reads included files as they are.
   */
  openText?(text: string, path: string): string
  /** Where first_found looks first under each search path (`templates` for a with_first_found of a template task); `files` when unset. */
  subdir?: string
}

/** A filter, test, method or function: its parameter names (for keyword arguments) and its body. */
export interface Callable<R = unknown> {
  /** Positional parameter names after the value; keyword arguments bind to these. */
  params: readonly string[]
  /** Accepts more positional arguments than `params` names (passed on in order). */
  variadic?: boolean
  /** Keyword arguments not in `params` are passed in `kwargs` instead of being an error. */
  anyKwargs?: boolean
  fn(ctx: CallContext, value: unknown, args: unknown[], kwargs: Record<string, unknown>): R
}

/** Python's default-argument behaviour: a missing argument (undefined) takes the default; None stays None. */
export const arg = <T>(v: unknown, fallback: T): T | unknown => (v === undefined ? fallback : v)
