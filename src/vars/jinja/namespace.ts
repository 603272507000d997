// Jinja2's namespace(): the one value a template may change, so that a `{% set ns.x = ... %}` inside a loop
// is seen after it (a plain `{% set %}` there is scoped to the iteration).
import { pyRepr } from './values.js'

export class Namespace {
  readonly attrs: Record<string, unknown> = Object.create(null) as Record<string, unknown>
  constructor(init: Record<string, unknown>) {
    Object.assign(this.attrs, init)
  }
  toString(): string {
    return `<Namespace ${pyRepr({ ...this.attrs })}>`
  }
}
