// PROVISIONAL: the vars helper replaces this file. renderString is the contract the engine and modules use.
import Handlebars from 'handlebars'

/** Renders Handlebars text (noEscape, strict) with `vars`; `source` names where the text came from. */
export function renderString(text: string, vars: Record<string, unknown>, source: string): string {
  try {
    return Handlebars.compile(text, { noEscape: true, strict: true })(vars)
  } catch (err) {
    throw new Error(`${source}: ${(err as Error).message}`)
  }
}
