// YAML anchors and aliases, bounded. An alias is expanded into a copy of the node it names, so a 1 KB file of
// aliases of aliases (a "billion laughs" bomb) would expand to billions of values: what the aliases of a
// document add is counted first, in time linear in the document, and a document over the bound is an input
// error at its largest alias before anything is expanded. An alias inside the node it names would never end.
import { isAlias, isMap, isPair, isSeq, visit, type Alias, type Document, type Node } from 'yaml'

/** The most values aliases may add to one document (what the yaml library's maxAliasCount is for). */
export const MAX_ALIAS_NODES = 100_000

export interface Aliases {
  /** Each alias's node: the last node anchored with its name before it, in document order (the yaml library's rule). */
  targets: Map<Alias, Node>
  /** Nodes as written, an alias counting once. */
  written: number
}

export function findAliases(doc: Document, text: string): Aliases {
  const anchors = new Map<string, Node>()
  const targets = new Map<Alias, Node>()
  let written = 0
  if (!text.includes('*')) return { targets, written } // an alias is written *name
  visit(doc, {
    Node(_, node) {
      written++
      if (isAlias(node)) {
        const target = anchors.get(node.source)
        if (target) targets.set(node, target)
      } else if (node.anchor) {
        anchors.set(node.anchor, node)
      }
    },
  })
  return { targets, written }
}

/** Why the document's aliases cannot be expanded, at the alias to blame; undefined when they can. */
export function aliasProblem(doc: Document, { targets, written }: Aliases): { alias: Alias; message: string } | undefined {
  if (targets.size === 0) return undefined
  const memo = new Map<Node, number>()
  const open = new Set<Node>()
  let cycle: Alias | undefined
  /** Values `node` stands for once its aliases are expanded. */
  const size = (node: unknown): number => {
    if (isAlias(node)) {
      const target = targets.get(node)
      if (target && open.has(target)) cycle ??= node
      return target && !open.has(target) ? size(target) : 1
    }
    if (!isMap(node) && !isSeq(node)) return 1
    const known = memo.get(node)
    if (known !== undefined) return known
    open.add(node)
    let n = 1
    for (const item of node.items) n += isPair(item) ? size(item.key) + size(item.value) : size(item)
    open.delete(node)
    memo.set(node, n)
    return n
  }
  const expanded = size(doc.contents)
  if (cycle) return { alias: cycle, message: `alias *${cycle.source} is inside the node it refers to, so it would never end` }
  if (expanded - written <= MAX_ALIAS_NODES) return undefined
  let worst: { alias: Alias; n: number } | undefined
  for (const [alias, target] of targets) {
    const n = size(target)
    if (!worst || n > worst.n) worst = { alias, n }
  }
  return {
    alias: worst!.alias,
    message: `the aliases of this document expand to more than ${MAX_ALIAS_NODES} values (an alias bomb?); pgha refuses to expand them`,
  }
}
