// The disk cache of what the controller's Ansible answered (src/modules/ansible/resolve.ts): the same
// question again starts no python, and a collection installed since is seen at once, never hidden by a
// kept "not found" (the answer is checked against the collection directories' modification times).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { useDiskCache } from '../../src/disk-cache.js'
import { ansibleModules } from '../../src/modules/index.js'
import { haveAnsible } from './ansible-differential.js'

const MODULE = `#!/usr/bin/python
from ansible.module_utils.basic import AnsibleModule
AnsibleModule(argument_spec={}).exit_json(changed=False, hello='world')
`

let dir = ''
const saved = process.env.ANSIBLE_COLLECTIONS_PATH

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pgha-ansible-cache-'))
  useDiskCache({ root: join(dir, 'cache'), build: 'feedfacefeedface' })
  mkdirSync(join(dir, 'collections', 'ansible_collections'), { recursive: true })
  process.env.ANSIBLE_COLLECTIONS_PATH = join(dir, 'collections')
})

afterEach(() => {
  useDiskCache(null)
  if (saved === undefined) delete process.env.ANSIBLE_COLLECTIONS_PATH
  else process.env.ANSIBLE_COLLECTIONS_PATH = saved
  rmSync(dir, { recursive: true, force: true })
})

/** A resolver's answer for `name`, and how many pythons it started to get it. */
function ask(name: string): { found?: string; notFound?: string; starts: number } {
  const r = ansibleModules()
  expect(r.find(name, [])).toBeUndefined()
  r.settle()
  const a = r.find(name, [])
  return { found: a?.def?.library?.path, notFound: a?.notFound, starts: r.starts }
}

describe.skipIf(!haveAnsible)("the controller's Ansible's answers, kept on disk", () => {
  it('answers the same question from the cache, and sees a collection installed since', () => {
    expect(ask('pghatest.demo.hello')).toEqual({ notFound: ", nor does the controller's Ansible", starts: 1 })
    expect(ask('pghatest.demo.hello')).toEqual({ notFound: ", nor does the controller's Ansible", starts: 0 })
    // As ansible-galaxy installs it: a new namespace directory under the collections path.
    const coll = join(dir, 'collections', 'ansible_collections', 'pghatest', 'demo')
    mkdirSync(join(coll, 'plugins', 'modules'), { recursive: true })
    writeFileSync(join(coll, 'plugins', 'modules', 'hello.py'), MODULE)
    writeFileSync(join(coll, 'galaxy.yml'), 'namespace: pghatest\nname: demo\nversion: 1.0.0\n')
    const path = join(coll, 'plugins', 'modules', 'hello.py')
    expect(ask('pghatest.demo.hello')).toEqual({ found: path, starts: 1 })
    expect(ask('pghatest.demo.hello')).toEqual({ found: path, starts: 0 })
  })
})
