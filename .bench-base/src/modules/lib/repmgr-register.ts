// The registration actions' rule: register only when repmgr.nodes has no record of this node, re-register
// (--force) when its record is inactive or of another type, and refuse when its node_id belongs to a
// node of another name (--force would overwrite that node's record).
import { PghaError } from '../../errors.js'
import type { RepmgrInfo } from '../../facts/index.js'
import type { Change } from '../types.js'

export type RegisterRole = 'primary' | 'standby' | 'witness'

/** [] when registered as wanted; else one change whose data.force says whether to pass --force. */
export function planRegister(info: RepmgrInfo, role: RegisterRole, config: string, where: string): Change[] {
  if (info.nodeId === undefined) throw new PghaError('task', `${config} has no node_id (or cannot be read)`)
  if (!info.readable) throw new PghaError('task', `cannot read repmgr.nodes through ${where}: ${info.error}`)
  const id = info.nodeId
  const mine = info.nodes.find((n) => n.id === id)
  if (!mine) return [{ description: `register node ${id}${info.nodeName ? ` (${info.nodeName})` : ''} as ${role}`, data: { force: false } }]
  if (info.nodeName && mine.name !== info.nodeName) {
    throw new PghaError('task', `node_id ${id} is registered to ${mine.name}, not ${info.nodeName}: give this node another node_id in ${config}`)
  }
  if (mine.active && mine.type === role) return []
  const state = `${mine.active ? 'active' : 'inactive'} ${mine.type}`
  return [{ description: `re-register node ${id} (${mine.name}) as ${role}: its record says ${state} (--force)`, data: { force: true } }]
}
