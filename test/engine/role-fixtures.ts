// The role playbooks of test/fixtures/roles and the inventory they run on: two local hosts with the
// inventory variables the playbooks read (shared by the run tests and the comparison with ansible-playbook).
import { resolve } from 'node:path'

export const roleFixtures = resolve(__dirname, '../fixtures/roles')

/** An INI inventory both pgha and ansible-playbook read: h1 and h2 on the local connection. */
export const ROLE_INVENTORY = `h1 ansible_connection=local
h2 ansible_connection=local
[all:vars]
v_inventory=inventory
v_play=inventory
[h1_only]
h1 per_host_role=bare
[h2_only]
h2 per_host_role=layout
`
