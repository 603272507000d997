// The parsed form of a `when` expression. Every node keeps its offset in the text so evaluation errors
// point at the variable or operator at fault.
export type CompareOp = '==' | '!=' | '<' | '>' | '<=' | '>='

interface At {
  /** 0-based offset of the node's first character in the expression text. */
  pos: number
}

export type Expr =
  | (At & { kind: 'literal'; value: string | number | boolean | null })
  | (At & { kind: 'list'; items: Expr[] })
  /** A variable, attribute or subscript; `text` is how it is written, for messages. */
  | (At & { kind: 'var'; name: string; text: string })
  | (At & { kind: 'attr'; object: Expr; name: string; text: string })
  | (At & { kind: 'index'; object: Expr; index: Expr; text: string })
  | (At & { kind: 'not'; operand: Expr })
  | (At & { kind: 'neg'; operand: Expr })
  | (At & { kind: 'and' | 'or'; left: Expr; right: Expr })
  | (At & { kind: 'compare'; op: CompareOp; left: Expr; right: Expr })
  | (At & { kind: 'in'; negated: boolean; left: Expr; right: Expr })
  | (At & { kind: 'test'; negated: boolean; name: string; operand: Expr; args: Expr[] })
  | (At & { kind: 'filter'; name: string; operand: Expr; args: Expr[] })
