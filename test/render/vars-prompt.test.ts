// `pgha render` answers a play's vars_prompt as a run without a terminal does: -e first, else the default,
// and a prompt with neither is refused where it is written.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigErrors } from '../../src/errors.js'
import { renderPlaybook } from '../../src/render/index.js'
import { project } from '../engine/harness.js'

const site = `
- hosts: all
  gather_facts: false
  vars_prompt:
    - name: port
      default: 5433
      private: false
    - name: owner
  tasks:
    - copy: { dest: /etc/app.conf, content: "port={{ port }} owner={{ owner }}\\n" }
`

describe('render with vars_prompt', () => {
  it('renders with the default and -e values, and refuses a prompt with no value where it is written', async () => {
    const p = project('node1 ansible_connection=local\n', { 'site.yml': site })
    const options = { playbook: join(p.dir, 'site.yml'), inventory: join(p.dir, 'inventory.ini') }
    const r = await renderPlaybook({ ...options, extraVars: ['owner=app'] })
    expect(r.hosts[0].files.map((f) => f.content.toString())).toEqual(['port=5433 owner=app\n'])
    const err = await renderPlaybook(options).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ConfigErrors)
    expect((err as ConfigErrors).errors.map((e) => `${e.loc?.line}:${e.loc?.col}: ${e.message}`)).toEqual([
      "8:13: vars_prompt 'owner' has no value: there is no terminal to ask on; give it with -e owner=VALUE (or a default:)",
    ])
  })
})
