// block / rescue / always: tasks that share keywords, with error handling. The block's conditions, tags,
// vars and settings are handed to every task inside at load time, so the engine evaluates tasks alone.
import { applyInherited, nodeLocator } from './inherit.js'
import { BLOCK_KEYWORDS, readSettings, reportUnknownKeys } from './keywords.js'
import { baseFields, parseTaskList, type ParseContext } from './nodes.js'
import type { KeywordReader } from './reader.js'
import type { Block, TaskNode } from './types.js'
import { walkNodes } from './walk.js'

export function parseBlock(r: KeywordReader, ctx: ParseContext): Block {
  reportUnknownKeys(r, BLOCK_KEYWORDS, 'a block')
  const settings = readSettings(r)
  const common = baseFields(r, ctx)
  const conditional = ctx.conditional || common.when.length > 0
  const list = (key: 'block' | 'rescue' | 'always') => parseTaskList(r.node[key], { ...ctx, conditional: conditional || key === 'rescue' }, key, r.loc(key))
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
  if (r.has('notify')) handDownNotify([block.block, block.rescue, block.always].flat(), r.strings('notify'), block.locOf)
  return block
}

/**
 * A block's notify is the notify of every task inside that names none itself, as Ansible reads it (a
 * task's own notify replaces the block's, it does not add to it); a wrong handler name is shown where
 * the block wrote it.
 */
function handDownNotify(nodes: TaskNode[], notify: string[], blockLoc: Block['locOf']): void {
  for (const node of walkNodes(nodes)) {
    if (node.kind !== 'task' || node.keywords.has('notify') || node.notify.length > 0) continue
    const own = node.locOf
    node.notify = notify
    node.locOf = (key, index) => (key === 'notify' ? blockLoc(key, index) : own(key, index))
  }
}
