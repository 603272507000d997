// block / rescue / always: tasks that share keywords, with error handling. The block's conditions, tags,
// vars and settings are handed to every task inside at load time, so the engine evaluates tasks alone.
import { applyInherited, nodeLocator } from './inherit.js'
import { BLOCK_KEYWORDS, readSettings, reportUnknownKeys } from './keywords.js'
import { parseTaskList, type ParseContext } from './nodes.js'
import type { KeywordReader } from './reader.js'
import type { Block } from './types.js'

export function parseBlock(r: KeywordReader, ctx: ParseContext): Block {
  reportUnknownKeys(r, BLOCK_KEYWORDS, 'a block')
  const name = r.string('name')
  const when = r.conditions('when') ?? []
  const settings = readSettings(r)
  const list = (key: 'block' | 'rescue' | 'always') => parseTaskList(r.node[key], ctx, key, r.loc(key))
  const block: Block = {
    kind: 'block',
    name,
    displayName: name ?? 'block',
    when,
    tags: r.strings('tags', true),
    vars: r.vars(),
    baseDir: ctx.baseDir,
    loc: r.fallback,
    keywords: new Set(Object.keys(r.node)),
    locOf: () => r.fallback,
    ...settings,
    block: list('block'),
    rescue: list('rescue'),
    always: list('always'),
  }
  block.locOf = nodeLocator(block, r)
  if (r.node.block === null) r.problems.add('block has no tasks (is the list indented under it?)', r.loc('block'))
  const own = { when: [...when], tags: block.tags, vars: block.vars, settings }
  for (const children of [block.block, block.rescue, block.always]) applyInherited(children, own)
  return block
}
