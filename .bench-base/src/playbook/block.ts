// block / rescue / always: tasks that share keywords, with error handling. The block's conditions, tags,
// vars and settings are handed to every task inside at load time, so the engine evaluates tasks alone.
import { applyInherited, nodeLocator } from './inherit.js'
import { BLOCK_KEYWORDS, readSettings, reportUnknownKeys } from './keywords.js'
import { baseFields, parseTaskList, type ParseContext } from './nodes.js'
import type { KeywordReader } from './reader.js'
import type { Block } from './types.js'

export function parseBlock(r: KeywordReader, ctx: ParseContext): Block {
  reportUnknownKeys(r, BLOCK_KEYWORDS, 'a block')
  const settings = readSettings(r)
  const list = (key: 'block' | 'rescue' | 'always') => parseTaskList(r.node[key], ctx, key, r.loc(key))
  const common = baseFields(r, ctx)
  const block: Block = {
    kind: 'block',
    ...common,
    displayName: common.name ?? 'block',
    ...settings,
    block: list('block'),
    rescue: list('rescue'),
    always: list('always'),
  }
  block.locOf = nodeLocator(block, r)
  if (r.node.block === null) r.problems.add('block has no tasks (is the list indented under it?)', r.loc('block'))
  const own = { when: [...block.when], tags: block.tags, vars: block.vars, settings }
  for (const children of [block.block, block.rescue, block.always]) applyInherited(children, own)
  return block
}
