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
  | (At & { kind: 'for'; targets: string[]; iter: Expr; filter?: Expr; body: Stmt[]; else?: Stmt[] })
  /** `{% set a, b = ... %}`, or `{% set ns.attr = ... %}` (one target and its `attr`). */
  | (At & { kind: 'set'; targets: string[]; attr?: string; expr: Expr })
  /** `{% set x %}...{% endset %}`, its filters (`{% set x | upper %}`) applied to BLOCK_TEXT. */
  | (At & { kind: 'set_block'; target: string; body: Stmt[]; filters?: Expr })
  /** `{% filter upper %}...{% endfilter %}`: the filters applied to BLOCK_TEXT, the block's output. */
  | (At & { kind: 'filter_block'; filters: Expr; body: Stmt[] })
  /** `{% with a = 1 %}...{% endwith %}`: the values, evaluated outside, set in a scope of the block's own. */
  | (At & { kind: 'with'; assigns: { targets: string[]; expr: Expr }[]; body: Stmt[] })
  /** `{% include name [ignore missing] %}`: another template file, rendered with this one's variables. */
  | (At & { kind: 'include'; name: Expr; ignoreMissing: boolean })
  /** `{% block name %}`: its body, or what a template extending this one gives the block instead. */
  | (At & { kind: 'block'; name: string; body: Stmt[] })
  /** `{% extends name %}`: this template's blocks fill in those of the template named. */
  | (At & { kind: 'extends'; name: Expr })

/** The name a block's filters read its text from; a space keeps templates from naming it. */
export const BLOCK_TEXT = ' block'
/** The name super() reads the parent block's rendering from, inside a block that replaces another. */
export const SUPER_BLOCK = ' super'
