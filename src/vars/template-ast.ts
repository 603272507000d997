// Static reading of a parsed Handlebars template: which root variables it references (so the engine can
// report an undefined variable before contacting any host), and which path sits at a position (so a
// strict-mode error names `a.b.c`, not just `c`).
import { getPath, MISSING } from './lookup.js'

type Node = hbs.AST.Node
type Path = hbs.AST.PathExpression

/** Built-in helpers that move the context into their argument for the block body. */
const CONTEXT_HELPERS = new Set(['each', 'with'])

export interface PathRef {
  path: Path
  /** The root variable the path reads, when it resolves against the template's root context. */
  root?: string
  /** Parts relative to the root context (undefined when the path is relative to a block's context). */
  parts?: string[]
  /** The path names a helper being called (`join` in `{{join list ","}}`). */
  helper?: boolean
}

interface Scope {
  /** Block contexts entered (each/with/sections) above this point. */
  depth: number
  blockParams: string[]
}

function isPath(n: Node | undefined): n is Path {
  return n?.type === 'PathExpression'
}

function isHelperCall(
  node: { path: Node; params: Node[]; hash?: hbs.AST.Hash },
  isHelper: (name: string) => boolean,
): boolean {
  if (node.params.length > 0 || (node.hash?.pairs.length ?? 0) > 0) return true
  const p = node.path
  return isPath(p) && !p.data && p.depth === 0 && p.parts.length === 1 && isHelper(p.parts[0])
}

/** Every path expression of the template, with what it refers to. */
export function pathRefs(ast: hbs.AST.Program, isHelper: (name: string) => boolean): PathRef[] {
  const out: PathRef[] = []
  const expr = (n: Node | undefined, s: Scope): void => {
    if (!n) return
    if (n.type === 'SubExpression') return call(n as hbs.AST.SubExpression, s)
    if (!isPath(n)) return
    if (n.data) {
      // @root.x reads the root context; @index, @key... are loop data.
      if (n.parts[0] === 'root' && n.parts.length > 1) out.push({ path: n, root: n.parts[1], parts: n.parts.slice(1) })
      else out.push({ path: n })
      return
    }
    const scoped = /^(this\b|\.)/.test(n.original)
    if (n.depth === 0 && !scoped && s.blockParams.includes(n.parts[0])) return void out.push({ path: n })
    if (n.depth === s.depth && n.parts.length > 0) out.push({ path: n, root: n.parts[0], parts: n.parts })
    else out.push({ path: n })
  }
  const args = (n: { path: Node; params: Node[]; hash?: hbs.AST.Hash }, s: Scope): boolean => {
    if (!isHelperCall(n, isHelper)) return false
    if (isPath(n.path)) out.push({ path: n.path, helper: true })
    for (const p of n.params) expr(p, s)
    for (const pair of n.hash?.pairs ?? []) expr(pair.value, s)
    return true
  }
  const call = (n: hbs.AST.MustacheStatement | hbs.AST.SubExpression, s: Scope): void => {
    if (!args(n, s)) expr(n.path, s)
  }
  const program = (p: hbs.AST.Program | undefined, s: Scope): void => {
    if (!p) return
    const inner = p.blockParams?.length ? { ...s, blockParams: [...s.blockParams, ...p.blockParams] } : s
    for (const st of p.body) statement(st, inner)
  }
  const statement = (n: Node, s: Scope): void => {
    switch (n.type) {
      case 'MustacheStatement':
        return call(n as hbs.AST.MustacheStatement, s)
      case 'BlockStatement':
      case 'DecoratorBlock': {
        const b = n as hbs.AST.BlockStatement
        const helper = args(b, s)
        if (!helper) expr(b.path, s)
        const name = b.path.parts[0]
        const entersContext = !helper || CONTEXT_HELPERS.has(name)
        program(b.program, entersContext ? { ...s, depth: s.depth + 1 } : s)
        program(b.inverse, s)
        return
      }
      case 'PartialStatement':
      case 'PartialBlockStatement': {
        const ps = n as hbs.AST.PartialStatement
        for (const p of ps.params) expr(p, s)
        return
      }
    }
  }
  program(ast, { depth: 0, blockParams: [] })
  return out
}

/** Root variable names, once each, in order of first use. */
export function rootVariables(refs: PathRef[]): string[] {
  return [...new Set(refs.flatMap((r) => (r.root === undefined ? [] : [r.root])))]
}

/** The path written at a (1-based line, 0-based column) position, as Handlebars reports errors. */
export function pathAt(refs: PathRef[], line: number, column: number): Path | undefined {
  return refs.find((r) => !r.helper && r.path.loc.start.line === line && r.path.loc.start.column === column)?.path
}

/** The first root-context path that does not resolve against `vars` (to explain an unexpected error). */
export function firstUnresolved(refs: PathRef[], vars: unknown): Path | undefined {
  return refs.find((r) => r.parts !== undefined && getPath(vars, r.parts) === MISSING)?.path
}

/** Helpers called by the template that are not registered. */
export function unknownHelpers(refs: PathRef[], isHelper: (name: string) => boolean): Path[] {
  return refs.filter((r) => r.helper && !(r.path.parts.length === 1 && isHelper(r.path.parts[0]))).map((r) => r.path)
}

type Call = hbs.AST.MustacheStatement | hbs.AST.SubExpression | hbs.AST.BlockStatement

/** Where a node starts, as helper options' `loc` gives it. */
export const locKey = (loc: { start: { line: number; column: number } }): string => `${loc.start.line}:${loc.start.column}`

/** The helper calls of a template by where they start, and the sub-expressions whose definedness a helper tests. */
export interface HelperCalls {
  calls: Map<string, Call>
  /** `(lookup m k)` written as an argument of a helper in `tests` (`default`, `if`...): no value is an answer there. */
  tested: Set<string>
}

export function helperCalls(ast: hbs.AST.Program, tests: ReadonlySet<string>): HelperCalls {
  const calls = new Map<string, Call>()
  const tested = new Set<string>()
  const visit = (n: Node | undefined): void => {
    if (!n) return
    switch (n.type) {
      case 'Program':
        for (const s of (n as hbs.AST.Program).body) visit(s)
        return
      case 'MustacheStatement':
      case 'SubExpression':
      case 'BlockStatement': {
        const c = n as Call
        calls.set(locKey(c.loc), c)
        const testing = isPath(c.path) && c.path.parts.length === 1 && tests.has(c.path.parts[0])
        for (const arg of [...c.params, ...(c.hash?.pairs.map((p) => p.value) ?? [])]) {
          if (testing && arg.type === 'SubExpression') tested.add(locKey(arg.loc))
          visit(arg)
        }
        if (n.type === 'BlockStatement') {
          visit((n as hbs.AST.BlockStatement).program)
          visit((n as hbs.AST.BlockStatement).inverse)
        }
        return
      }
    }
  }
  visit(ast)
  return { calls, tested }
}
