// Jinja2's cycler(): a value of the template's own that steps through its items (`{% set c = cycler('odd',
// 'even') %}` ... `{{ c.next() }}`, `c.current`, `c.reset()`), as jinja2.utils.Cycler does.
import type { Callable } from './types.js'
import { tuple, ValueError } from './values.js'

export class Cycler {
  private pos = 0
  constructor(private readonly items: unknown[]) {
    if (items.length === 0) throw new ValueError('at least one item has to be provided')
  }
  /** `c.current` and `c.items`, read as getAttribute reads attributes. */
  get attrs(): Record<string, unknown> {
    return { current: this.items[this.pos], items: tuple(this.items) }
  }
  next(): unknown {
    const v = this.items[this.pos]
    this.pos = (this.pos + 1) % this.items.length
    return v
  }
  reset(): void {
    this.pos = 0
  }
  toString(): string {
    return '<jinja2.utils.Cycler object>'
  }
}

export const CYCLER_METHODS: Record<string, Callable> = {
  next: { params: [], fn: (_c, v) => (v as Cycler).next() },
  reset: {
    params: [],
    fn: (_c, v) => {
      ;(v as Cycler).reset()
      return null
    },
  },
}
