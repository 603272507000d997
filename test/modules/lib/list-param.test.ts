// Ansible `list` params read as Ansible reads them: a comma-separated string is a list (jenkins' role waits
// with `status_code: 200,403`), one value a list of it, each element converted to its type. The expected
// values are those of ansible-core's ArgumentSpecValidator, run on the same table.
import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { intElement, listOf } from '../../../src/modules/lib/list-param.js'
import { getModule } from '../../../src/modules/index.js'
import { ansiblePython } from '../../engine/ansible-oracle.js'

const PYTHON_VALIDATE = `
import json, sys
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
out = []
for elements, v in json.load(sys.stdin):
    r = ArgumentSpecValidator({'o': {'type': 'list', 'elements': elements}}).validate({'o': v})
    out.append(None if r.error_messages else r.validated_parameters['o'])
print(json.dumps(out))
`

const CASES: ['int' | 'str', unknown][] = [
  ['int', '200,403'], ['int', '200, 403'], ['int', 201], ['int', '201'], ['int', [200, '201']], ['int', '200,x'], ['int', '4.5'],
  ['str', '--strip-components=1'], ['str', 'a,b'], ['str', ['a', 'b']],
]

function mine(elements: 'int' | 'str', v: unknown): unknown {
  const r = listOf(elements === 'int' ? intElement : z.string()).safeParse(v)
  return r.success ? r.data : null
}

describe('list params', () => {
  it('uri takes status_code as a comma-separated string, and unarchive extra_opts as one string', () => {
    expect(getModule('uri')!.params.parse({ url: 'http://x/', status_code: '200,403' })).toMatchObject({ status_code: [200, 403] })
    expect(getModule('uri')!.params.safeParse({ url: 'http://x/', status_code: [] }).success).toBe(false)
    expect(getModule('unarchive')!.params.parse({ src: '/a.tgz', dest: '/d', remote_src: true, extra_opts: '--strip-components=1' })).toMatchObject({ extra_opts: ['--strip-components=1'] })
  })

  it.skipIf(!ansiblePython)('read each value of the table as ansible-core does', () => {
    const r = spawnSync(ansiblePython!, ['-c', PYTHON_VALIDATE], { input: JSON.stringify(CASES), encoding: 'utf8' })
    expect(r.status, r.stderr).toBe(0)
    expect(CASES.map(([elements, v]) => mine(elements, v))).toEqual(JSON.parse(r.stdout))
  })
})
