// group_by: puts the task's host into a group named from its variables (`key: os_{{ ansible_os_family }}`),
// created on first use under `parents`, for later plays and tasks. The result carries Ansible's
// `add_group` and `parent_groups` keys, which the engine applies (src/engine/inventory-requests.ts).
import { z } from 'zod'
import { defineModule } from './types.js'
import { stringList } from './lib/list-param.js'
import { singleLineParam } from './lib/value-kinds.js'

const params = z
  .object({
    key: singleLineParam().min(1).describe('The group to put the host in (spaces become "-", as in Ansible).'),
    parents: stringList().default(['all']).describe('Parent groups of the group when it is created.'),
  })
  .strict()

const groupName = (v: string): string => v.replace(/ /g, '-')

export default defineModule({
  name: 'group_by',
  description: 'Add the host to a group named from its variables, for later plays and tasks.',
  params,
  local: true,
  changesInventory: true,
  async plan(_ctx, p) {
    return { changes: [], result: { add_group: groupName(p.key), parent_groups: p.parents.map(groupName) } }
  },
})
