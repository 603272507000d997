// The parsed form of Jinja2 expressions and template statements. Every node keeps the offset of its first
// character in the text, so errors name the variable, filter or operator at fault at file:line:col.
interface At {
  pos: number
}

export interface Args {
  args: Expr[]
  /** name, value, and the offset of the name */
  kwargs: [string, Expr, number][]
}

export type BinaryOp = '+' | '-' | '*' | '/' | '//' | '%' | '**' | '~'
export type CompareOp = '==' | '!=' | '<' | '>' | '<=' | '>=' | 'in' | 'not in'

export type Expr =
  | (At & { kind: 'const'; value: string | number | boolean | null | { float: number } })
  | (At & { kind: 'list' | 'tuple'; items: Expr[] })
  | (At & { kind: 'dict'; pairs: [Expr, Expr][] })
  | (At & { kind: 'name'; name: string })
  /** `a.b` (`text` is how it is written, for messages). */
  | (At & { kind: 'attr'; object: Expr; name: string; text: string })
  | (At & { kind: 'item'; object: Expr; index: Expr; text: string })
  | (At & { kind: 'slice'; object: Expr; start?: Expr; stop?: Expr; step?: Expr })
  | (At & { kind: 'not' | 'neg' | 'pos'; operand: Expr })
  | (At & { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr })
  | (At & { kind: 'and' | 'or'; left: Expr; right: Expr })
  /** A chain of comparisons (`a < b <= c`), as Python evaluates it. */
  | (At & { kind: 'compare'; left: Expr; ops: { op: CompareOp; right: Expr; pos: number }[] })
  | (At & { kind: 'cond'; test: Expr; then: Expr; else?: Expr })
  | (At & Args & { kind: 'filter'; name: string; operand: Expr })
  | (At & Args & { kind: 'test'; name: string; operand: Expr; negated: boolean })
  /** A call: a method of a value (`s.split(',')`) or a global function (`lookup(...)`, `range(3)`). */
  | (At & Args & { kind: 'call'; callee: Expr })

export type Stmt =
  | (At & { kind: 'text'; text: string })
  | (At & { kind: 'output'; expr: Expr })
  | (At & { kind: 'if'; branches: { test: Expr; body: Stmt[] }[]; else?: Stmt[] })
  /** `recursive`: the loop variable is callable, `loop(items)` renders the body over them one level deeper. */
  | (At & { kind: 'for'; targets: string[]; iter: Expr; filter?: Expr; body: Stmt[]; else?: Stmt[]; recursive?: boolean })
  /** `{% break %}` and `{% continue %}` (Ansible enables jinja2.ext.loopcontrols), only inside a loop. */
  | (At & { kind: 'break' | 'continue' })
  /** `{% do expr %}` (jinja2.ext.do): the expression evaluated for its effect, its value dropped. */
  | (At & { kind: 'do'; expr: Expr })
  /** `{% macro name(params) %}`, and the caller of `{% call(params) name(...) %}` (named `caller`). */
  | (At & { kind: 'macro'; macro: MacroDef })
  /** `{% call(params) expr %}body{% endcall %}`: the call `expr` made with the body as its `caller`. */
  | (At & { kind: 'call_block'; caller: MacroDef; call: Expr })
  /** `{% import name as target %}` (`names` unset) or `{% from name import a, b as c %}` (`names` as [name, as]). */
  | (At & { kind: 'import'; name: Expr; target?: string; names?: [string, string, number][]; withContext: boolean })
  /** `{% set a, b = ... %}`, or `{% set ns.attr = ... %}` (one target and its `attr`). */
  | (At & { kind: 'set'; targets: string[]; attr?: string; expr: Expr })
  /** `{% set x %}...{% endset %}`, its filters (`{% set x | upper %}`) applied to BLOCK_TEXT. */
  | (At & { kind: 'set_block'; target: string; body: Stmt[]; filters?: Expr })
  /** `{% filter upper %}...{% endfilter %}`: the filters applied to BLOCK_TEXT, the block's output. */
  | (At & { kind: 'filter_block'; filters: Expr; body: Stmt[] })
  /** `{% with a = 1 %}...{% endwith %}`: the values, evaluated outside, set in a scope of the block's own. */
  | (At & { kind: 'with'; assigns: { targets: string[]; expr: Expr }[]; body: Stmt[] })
  /**
   * `{% include name [ignore missing] [with|without context] %}`: another template file (the first found of
   * a list), rendered with this one's variables, or (without context) with none.
   */
  | (At & { kind: 'include'; name: Expr; ignoreMissing: boolean; withContext: boolean })
  /** `{% block name %}`: its body, or what a template extending this one gives the block instead. */
  | (At & { kind: 'block'; name: string; body: Stmt[] })
  /** `{% extends name %}`: this template's blocks fill in those of the template named. */
  | (At & { kind: 'extends'; name: Expr })

/** A macro as written: its parameters (defaults evaluated at each call) and which special names its body reads. */
export interface MacroDef {
  name: string
  /** A call block's body: a macro without a name of its own (Jinja2's name None). */
  anonymous?: boolean
  params: { name: string; default?: Expr }[]
  body: Stmt[]
  /** The body reads `caller`, `varargs`, `kwargs`: the macro takes a caller, extra positional, extra keyword arguments. */
  caller: boolean
  varargs: boolean
  kwargs: boolean
}

/** The name a block's filters read its text from; a space keeps templates from naming it. */
export const BLOCK_TEXT = ' block'
/** The name super() reads the parent block's rendering from, inside a block that replaces another. */
export const SUPER_BLOCK = ' super'

/** The statement lists directly inside a statement: branches, bodies, else parts, a macro's or caller's body. */
export function innerBodies(st: Stmt): Stmt[][] {
  switch (st.kind) {
    case 'if':
      return [...st.branches.map((b) => b.body), st.else ?? []]
    case 'for':
      return [st.body, st.else ?? []]
    case 'macro':
      return [st.macro.body]
    case 'call_block':
      return [st.caller.body]
    case 'set_block':
    case 'filter_block':
    case 'with':
    case 'block':
      return [st.body]
    default:
      return []
  }
}
