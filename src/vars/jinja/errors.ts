// Errors of the Jinja2 engine carry the offset in the template text where they happened; src/vars turns
// them into ConfigErrors at file:line:col.

/** A syntax or evaluation problem at `pos`, a 0-based offset in the template text. */
export class JinjaError extends Error {
  constructor(
    message: string,
    readonly pos: number,
    /** A syntax error (found before anything ran) rather than an evaluation error. */
    readonly syntax = false,
    /**
     * The template file `pos` is in: an included or extended one, or null for the template being rendered
     * (known, so that the file around it does not claim the error); undefined while not known yet.
     */
    readonly file?: { path: string; text: string } | null,
  ) {
    // No stack: the error names a place in the template, never in pgha, and rendering throws one for every
    // variable a scope cannot yet render (a loop's `item`), where capturing the stack was most of its cost.
    const limit = Error.stackTraceLimit
    Error.stackTraceLimit = 0
    super(message)
    Error.stackTraceLimit = limit
  }
}

/** An undefined variable or attribute, carried as a value so `is defined` and `default` can see it. */
export class Undefined {
  constructor(
    /** How the missing value is written (`pg.port`), for messages. */
    readonly text: string,
    readonly pos: number,
    /** The root variable itself is missing (then `a.b.c` still names `a`). */
    readonly root = false,
    /**
     * Jinja2's default Undefined rather than Ansible's strict one (`x if c` without else): it reads as an
     * empty string where a value is needed, and is still undefined to `is defined` and `default`.
     */
    readonly lenient = false,
    /** Jinja2's own message for this undefined value (`No caller defined`), instead of naming it. */
    readonly hint?: string,
  ) {}

  /** The same undefined value, read at `pos`. */
  at(pos: number): Undefined {
    return new Undefined(this.text, pos, this.root, this.lenient, this.hint)
  }
}

/** A macro's `caller` when it was called without one: an error where it is used, and not `defined`. */
export const NO_CALLER = new Undefined('caller', 0, true, false, 'No caller defined')

/** The error using an undefined value raises. */
export function undefinedError(u: Undefined): JinjaError {
  return new JinjaError(u.hint ?? `undefined variable '${u.text}'`, u.pos)
}
