// Evaluates Jinja2 expressions over data only. The sandbox is the shape of this file: a name reads a local
// or an own property of the variables, `a.b`/`a[b]` read own properties of plain data or list/string
// items, and the only calls are into pgha's tables of filters, tests, methods and functions. No value is
// ever a JavaScript function, and no template text produced here is evaluated again.
import { BoundMethod, getAttribute, getItem, MISSING, pySlice, readOwn } from './access.js'
import { SUPER_BLOCK, type Args, type CompareOp, type Expr } from './ast.js'
import { JinjaError, NO_CALLER, Undefined, undefinedError } from './errors.js'
import { isLoop, recurse } from './loop.js'
import { Macro, TemplateModule } from './macros.js'
import { globalFunction, GlobalFunction } from './functions.js'
import { filterDef, knownNames, methodDef, testDef } from './names.js'
import { binary } from './operators.js'
import { methodsOf } from './methods.js'
import { float, isInt, madeHere, isMapping, isNumber, isTuple, num, pyCompare, pyContains, pyEquals, pyStr, truthy, tuple, typeName, ValueError } from './values.js'
import type { CallContext, Callable, ControllerHost } from './types.js'

type Vars = Record<string, unknown>

/** Names set inside a template (`{% set %}`, loop variables), over the variables it was given. */
export class Scope {
  private own?: Map<string, unknown>
  constructor(
    readonly root: Vars,
    readonly parent?: Scope,
  ) {}
  set(name: string, value: unknown): void {
    ;(this.own ??= new Map()).set(name, value)
  }
  /** The names set in this scope itself (what an imported template exports). */
  names(): Map<string, unknown> {
    return this.own ?? new Map()
  }
  lookup(name: string): unknown {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- walking the chain of scopes from this one
    for (let s: Scope | undefined = this; s; s = s.parent) if (s.own?.has(name)) return s.own.get(name)
    return readOwn(this.root, name)
  }
}

export class Evaluator implements CallContext {
  constructor(
    private controller: ControllerHost | (() => ControllerHost),
    private scope: Scope,
  ) {}

  /** The controller side, made only when a lookup or file test needs it. */
  get host(): ControllerHost {
    if (typeof this.controller === 'function') this.controller = this.controller()
    return this.controller
  }

  withScope<T>(scope: Scope, fn: () => T): T {
    const before = this.scope
    this.scope = scope
    try {
      return fn()
    } finally {
      this.scope = before
    }
  }

  get current(): Scope {
    return this.scope
  }

  /** Jinja2's `self` of the template rendering, made when read: its blocks, each callable (render.ts templateReference). */
  templateSelf?: () => TemplateModule

  /** Whether the lists and dicts this rendering makes are marked as its own (methods.ts mayChange). */
  marking = false

  private made<T extends object>(v: T): T {
    return this.marking ? madeHere(v) : v
  }

  /** The value, with an undefined one an error naming it. */
  value(e: Expr): unknown {
    const v = this.ev(e)
    if (v instanceof Undefined) {
      if (v.lenient) return ''
      throw undefinedError(v)
    }
    return v
  }

  /** The value, deep: an undefined value inside a list or dict is an error too (Ansible's finalize). */
  output(e: Expr): unknown {
    const v = this.value(e)
    failOnUndefined(v)
    return v
  }

  ev(e: Expr): unknown {
    switch (e.kind) {
      case 'const':
        return e.value !== null && typeof e.value === 'object' ? float(e.value.float) : e.value
      case 'list':
        return this.made(e.items.map((x) => this.value(x)))
      case 'tuple':
        return tuple(e.items.map((x) => this.value(x)))
      case 'dict': {
        const out: Vars = {}
        for (const [k, v] of e.pairs) out[pyStr(this.value(k))] = this.value(v)
        return this.made(out)
      }
      case 'name': {
        const v = this.scope.lookup(e.name)
        if (v === NO_CALLER) return NO_CALLER.at(e.pos)
        if (v !== MISSING) return v
        const g = this.resolve(e.name, false)
        if (g instanceof Undefined) return g.at(e.pos)
        return g === MISSING ? new Undefined(e.name, e.pos, true) : g
      }
      case 'attr': {
        const obj = this.ev(e.object)
        if (obj instanceof Undefined) return obj.root ? obj : new Undefined(e.text, obj.pos)
        const v = getAttribute(obj, e.name)
        return v === MISSING ? new Undefined(e.text, e.pos) : v
      }
      case 'item': {
        const obj = this.ev(e.object)
        if (obj instanceof Undefined) return obj.root ? obj : new Undefined(e.text, obj.pos)
        const v = getItem(obj, this.value(e.index))
        return v === MISSING ? new Undefined(e.text, e.pos) : v
      }
      case 'slice':
        return this.slice(e)
      case 'not':
        return !truthy(this.value(e.operand))
      case 'neg':
      case 'pos': {
        const v = this.value(e.operand)
        if (!isNumber(v)) {
          throw new JinjaError(`bad operand type for unary ${e.kind === 'neg' ? '-' : '+'}: '${pyTypeOf(v)}'`, e.pos)
        }
        return binary(e.kind === 'neg' ? '*' : '+', e.kind === 'neg' ? -1 : 0, v)
      }
      case 'binary':
      {
        const l = this.value(e.left)
        const r = this.value(e.right)
        try {
          return binary(e.op, l, r)
        } catch (err) {
          throw located(err, e.pos)
        }
      }
      case 'and': {
        const l = this.value(e.left)
        return truthy(l) ? this.value(e.right) : l
      }
      case 'or': {
        const l = this.value(e.left)
        return truthy(l) ? l : this.value(e.right)
      }
      case 'compare':
        return this.compare(e)
      case 'cond':
        if (truthy(this.value(e.test))) return this.ev(e.then)
        return e.else ? this.ev(e.else) : new Undefined('the inline if-expression evaluated to false and has no else', e.pos, false, true)
      case 'filter':
        return this.applyFilter(e)
      case 'test':
        return this.applyTest(e)
      case 'call':
        return this.call(e)
    }
  }


  private compare(e: Extract<Expr, { kind: 'compare' }>): boolean {
    let left = this.value(e.left)
    for (const { op, right: r, pos } of e.ops) {
      const right = this.value(r)
      let holds: boolean
      try {
        holds = compareOnce(op, left, right)
      } catch (err) {
        throw located(err, pos)
      }
      if (!holds) return false
      left = right
    }
    return true
  }

  private slice(e: Extract<Expr, { kind: 'slice' }>): unknown {
    const obj = this.value(e.object)
    const bound = (x: Expr | undefined): number | undefined => {
      if (!x) return undefined
      const v = this.value(x)
      if (v === null) return undefined
      if (!isInt(v) && typeof v !== 'boolean') throw new JinjaError('slice indices must be integers or None', x.pos)
      return num(v)
    }
    const [start, stop, step] = [bound(e.start), bound(e.stop), bound(e.step)]
    if (typeof obj !== 'string' && !Array.isArray(obj)) throw new JinjaError(`'${pyTypeOf(obj)}' object is not subscriptable`, e.pos)
    if (step === 0) throw new JinjaError('slice step cannot be zero', e.pos)
    const items = typeof obj === 'string' ? [...obj] : obj
    const picked = pySlice(items, start, stop, step ?? 1)
    if (typeof obj === 'string') return picked.join('')
    return isTuple(obj) ? tuple(picked) : picked
  }

  /** Binds positional and keyword arguments to a callable's parameters. */
  private bind(what: string, def: Callable, a: Args, pos: number, lazy = false): { args: unknown[]; kwargs: Vars } {
    const args = a.args.map((x) => (lazy ? this.ev(x) : this.value(x)))
    const kwargs: Vars = {}
    if (args.length > def.params.length && !def.variadic) {
      throw new JinjaError(`${what} takes at most ${def.params.length} argument(s), got ${args.length}`, pos)
    }
    for (const [name, x, at] of a.kwargs) {
      const i = def.params.indexOf(name)
      const v = lazy ? this.ev(x) : this.value(x)
      if (i >= 0) {
        if (i < a.args.length) throw new JinjaError(`${what} got multiple values for argument '${name}'`, at)
        args[i] = v
      } else if (def.anyKwargs) kwargs[name] = v
      else throw new JinjaError(`${what} got an unexpected keyword argument '${name}' (arguments: ${def.params.join(', ') || 'none'})`, at)
    }
    return { args, kwargs }
  }

  private run<T>(what: string, pos: number, fn: () => T): T {
    try {
      return fn()
    } catch (err) {
      if (err instanceof ValueError) throw new JinjaError(`${what}: ${err.message}`, pos)
      throw err
    }
  }

  private applyFilter(e: Extract<Expr, { kind: 'filter' }>): unknown {
    const def = filterDef(e.name) as Callable
    const lenient = LENIENT_FILTERS.has(e.name)
    const value = lenient ? this.ev(e.operand) : this.value(e.operand)
    const { args, kwargs } = this.bind(`filter '${e.name}'`, def, e, e.pos, lenient)
    return this.run(`filter '${e.name}'`, e.pos, () => def.fn(this, value, args, kwargs))
  }

  private applyTest(e: Extract<Expr, { kind: 'test' }>): boolean {
    const def = testDef(e.name) as Callable<boolean>
    const value = e.name === 'defined' || e.name === 'undefined' ? this.ev(e.operand) : this.value(e.operand)
    const { args, kwargs } = this.bind(`test '${e.name}'`, def, e, e.pos)
    const ok = this.run(`test '${e.name}'`, e.pos, () => def.fn(this, value, args, kwargs))
    return e.negated ? !ok : ok
  }

  /**
   * What a name is: the template's own (a macro, a `{% set %}`, a loop variable, an import) or a variable,
   * else `self` or pgha's global of that name, which they shadow as in Jinja2 (`{% macro range() %}`).
   */
  private resolve(name: string, called: boolean): unknown {
    const v = this.scope.lookup(name)
    if (v !== MISSING) return v
    if (name === 'self' && this.templateSelf) return this.templateSelf()
    if (name === 'super' && !called) {
      // read, not called: defined only in a block that replaces another
      const parent = this.scope.lookup(SUPER_BLOCK)
      if (typeof parent !== 'function') return parent === MISSING ? MISSING : parent
    }
    return globalFunction(name) ?? MISSING
  }

  /** A call; `extra` keyword arguments go to a macro (the caller of `{% call %}`). */
  call(e: Extract<Expr, { kind: 'call' }>, extra?: Vars): unknown {
    const callee = e.callee
    if (callee.kind !== 'name' && callee.kind !== 'attr') throw new JinjaError('only macros, methods and functions can be called', e.pos)
    const self = callee.kind === 'attr' ? this.value(callee.object) : undefined
    // a method of the value, else what it holds by that name: a macro (also an imported template's), a
    // recursive loop, a global function (passed on, also in a dict or namespace)
    const def = callee.kind === 'attr' && !(self instanceof TemplateModule) ? methodDef(methodsOf(self), callee.name) : undefined
    const target = callee.kind === 'name' ? this.resolve(callee.name, true) : def ? MISSING : getAttribute(self, callee.name)
    const what = `${callee.kind === 'attr' ? callee.text : callee.name}()`
    if (target instanceof Macro || isLoop(target)) {
      const args = e.args.map((x) => this.value(x))
      const kwargs: Vars = { ...extra }
      for (const [name, x] of e.kwargs) kwargs[name] = this.value(x)
      return this.run(what, callee.pos, () => (target instanceof Macro ? target.call(args, kwargs) : recurse(target as object, args)))
    }
    if (extra) throw new JinjaError("'{% call %}' calls a macro, and this is not one", e.pos)
    if (target instanceof GlobalFunction) {
      const { args, kwargs } = this.bind(what, target.def, e, callee.pos)
      return this.run(what, callee.pos, () => target.def.fn(this, undefined, args, kwargs))
    }
    if (callee.kind === 'name') {
      // an undefined one: `{% from x import y %}` of a name x does not export, a macro's missing caller
      if (target instanceof Undefined) throw undefinedError(target.hint === undefined ? target : target.at(callee.pos))
      const missing = `'${callee.name}' is undefined: no macro, import or variable has that name, nor a function (functions: ${knownNames('function')})`
      throw new JinjaError(target === MISSING ? missing : `'${pyTypeOf(target)}' object is not callable`, callee.pos)
    }
    const at = callee.pos + callee.text.lastIndexOf(callee.name)
    if (self instanceof TemplateModule && target === MISSING) throw new JinjaError(`'${callee.text}' is undefined: the template has no macro or block '${callee.name}'`, at)
    if (target !== MISSING) throw new JinjaError(`'${pyTypeOf(target)}' object is not callable`, at)
    if (!def) throw new JinjaError(`'${pyTypeOf(self)}' object has no method '${callee.name}'`, at)
    const { args, kwargs } = this.bind(`${callee.name}()`, def, e, at)
    return this.run(`${callee.name}()`, at, () => def.fn(this, self, args, kwargs))
  }

  // CallContext: what filters and tests use
  filter(name: string, value: unknown, args: unknown[], kwargs: Vars = {}): unknown {
    const def = filterDef(name)
    if (!def) throw new ValueError(`no filter named '${name}'`)
    return def.fn(this, value, args, kwargs)
  }

  test(name: string, value: unknown, args: unknown[], kwargs: Vars = {}): boolean {
    const def = testDef(name)
    if (!def) throw new ValueError(`no test named '${name}'`)
    if (value instanceof Undefined && name !== 'defined' && name !== 'undefined') throw undefinedError(value)
    const bound = [...args]
    for (const [k, v] of Object.entries(kwargs)) {
      const i = def.params.indexOf(k)
      if (i < 0) throw new ValueError(`test '${name}' got an unexpected keyword argument '${k}'`)
      bound[i] = v
    }
    return def.fn(this, value, bound, {})
  }

  attribute(obj: unknown, path: string | number): unknown {
    let cur = obj
    for (const part of typeof path === 'number' ? [path] : path.split('.')) {
      const v = getItem(cur, /^\d+$/.test(String(part)) ? Number(part) : part)
      if (v === MISSING) return new Undefined(String(path), 0)
      cur = v
    }
    return cur
  }

  variable(name: string): unknown {
    const v = this.scope.lookup(name)
    return v === MISSING ? new Undefined(name, 0) : v
  }
}

/** A value problem as an error at `pos`; anything else as it is. */
const located = (err: unknown, pos: number): unknown => (err instanceof ValueError ? new JinjaError(err.message, pos) : err)

/** Filters that see an undefined value (and undefined arguments) instead of failing on it. */
const LENIENT_FILTERS = new Set(['default', 'd', 'mandatory', 'ternary'])

function compareOnce(op: CompareOp, a: unknown, b: unknown): boolean {
  switch (op) {
    case '==':
      return pyEquals(a, b)
    case '!=':
      return !pyEquals(a, b)
    case 'in':
      return pyContains(b, a)
    case 'not in':
      return !pyContains(b, a)
    default: {
      const c = pyCompare(a, b, op)
      return op === '<' ? c < 0 : op === '>' ? c > 0 : op === '<=' ? c <= 0 : c >= 0
    }
  }
}

const pyTypeOf = (v: unknown): string => (isLoop(v) ? 'LoopContext' : v instanceof BoundMethod ? 'builtin_function_or_method' : typeName(v))

/** Ansible fails on an undefined value anywhere inside what a template outputs. */
export function failOnUndefined(v: unknown): void {
  if (v instanceof Undefined) throw undefinedError(v)
  if (Array.isArray(v)) for (const x of v) failOnUndefined(x)
  else if (isMapping(v) && !Object.isFrozen(v)) for (const x of Object.values(v)) failOnUndefined(x)
}
