// Ansible's YAML tags: `!unsafe` text is never templated; a `!vault` value is kept until it is used, and its
// use without a vault password is an error at the value; any other tag is an input error where it is written.
import { describe, expect, it } from 'vitest'
import { ConfigError } from '../../src/errors.js'
import { renderValue } from '../../src/vars/index.js'
import { isUnsafe, UnsafeText } from '../../src/vars/unsafe.js'
import { isVault } from '../../src/vars/vault.js'
import { resolveTemplatedVars } from '../../src/engine/index.js'
import { parseYaml } from '../../src/yaml-source.js'
import { yamlProblems } from './helpers.js'
import { localHosts, project } from '../engine/harness.js'

const read = (text: string): Record<string, unknown> => parseYaml(text, 'tags.yml') as Record<string, unknown>

const problems = (text: string): string[] => yamlProblems(text, 'tags.yml')

const VAULTED = 'secret: !vault |\n  $ANSIBLE_VAULT;1.1;AES256\n  62313365396662343061393464336163383764373764613633653634306231386433626436623361\n'

describe('!unsafe', () => {
  it('makes a string that is never templated, whatever it is written as; under a list or mapping, each string', () => {
    const v = read('a: !unsafe "{{ x }}"\nb: !unsafe 0644\nc: !unsafe [yes, "{{ y }}", 3]\nd: !unsafe {k: "{% raw %}"}\n')
    expect(v.a).toEqual(new UnsafeText('{{ x }}'))
    expect(v.b).toEqual(new UnsafeText('0644'))
    expect(v.c).toEqual([true, new UnsafeText('{{ y }}'), 3])
    expect(v.d).toEqual({ k: new UnsafeText('{% raw %}') })
    expect(JSON.stringify(v.c)).toBe('[true,"{{ y }}",3]')
  })

  it('renders to its text, and a variable holding it is never rendered again', () => {
    const vars = resolveTemplatedVars({ raw: read('raw: !unsafe "{{ secret }}"\n').raw, copy: '{{ raw }}', secret: 'S' })
    expect(isUnsafe(vars.raw)).toBe(true)
    expect(vars.copy).toBe('{{ secret }}')
    expect(renderValue({ a: '{{ copy }}', b: '<{{ raw }}>' }, vars)).toEqual({ a: '{{ secret }}', b: '<{{ secret }}>' })
  })

  it('reaches a task as text: in module arguments, through variables, in free-form commands', async () => {
    const p = project(localHosts(['hostA']), {
      'site.yml': `- hosts: all
  gather_facts: false
  vars:
    raw: !unsafe "{{ not_defined }}"
    copy: "{{ raw }}"
  tasks:
    - name: literal
      debug: { msg: !unsafe "{{ x }} {% if %}" }
    - name: through a variable
      debug: { msg: "{{ copy }}" }
    - name: interpolated
      debug: { msg: "<{{ raw }}>" }
    - name: free-form
      command: !unsafe echo {{ y }}
`,
    })
    const r = await p.run()
    expect(r.exitCode).toBe(0)
    expect(r.results('literal').hostA.result.msg).toBe('{{ x }} {% if %}')
    expect(r.results('through a variable').hostA.result.msg).toBe('{{ not_defined }}')
    expect(r.results('interpolated').hostA.result.msg).toBe('<{{ not_defined }}>')
    expect(r.results('free-form').hostA.result.stdout).toBe('{{ y }}')
  })
})

describe('!vault', () => {
  it('is kept as ciphertext, shown as Ansible shows it in JSON', () => {
    const v = read(VAULTED)
    expect(isVault(v.secret)).toBe(true)
    expect(JSON.parse(JSON.stringify(v))).toEqual({ secret: { __ansible_vault: expect.stringMatching(/^\$ANSIBLE_VAULT;1\.1;AES256\n6231/) } })
  })

  it('used without a vault password, is an error at the !vault tag', () => {
    const v = read(`x: 1\n${VAULTED}`)
    let err: unknown
    try {
      renderValue({ password: '{{ secret }}' }, v)
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(ConfigError)
    expect((err as ConfigError).format()).toMatch(/^tags\.yml:2:9: this value is encrypted with Ansible Vault: pass --vault-password-file FILE/)
    expect(() => renderValue({ text: 'pw={{ secret }}' }, v)).toThrow(/encrypted with Ansible Vault/)
  })

  it('unused, does not stop a run; used, fails the task naming the file, line and column', async () => {
    const p = project(localHosts(['hostA']), {
      'site.yml': `- hosts: all
  gather_facts: false
  vars_files: [secrets.yml]
  tasks:
    - name: unrelated
      debug: { msg: fine }
    - name: uses it
      debug: { msg: "{{ secret }}" }
`,
      'secrets.yml': VAULTED,
    })
    const r = await p.run()
    expect(r.results('unrelated').hostA.status).toBe('ok')
    expect(r.results('uses it').hostA.status).toBe('failed')
    expect(String(r.results('uses it').hostA.result.msg)).toMatch(/secrets\.yml:1:9: this value is encrypted with Ansible Vault/)
  })

  it('marks a string, not a list or mapping', () => {
    expect(problems('a: !vault [1]\n')).toEqual(['1:4 !vault marks a string of ciphertext (as ansible-vault encrypt_string writes it), not a list'])
  })
})

describe('other tags', () => {
  it('are input errors at the tag, every one at once', () => {
    expect(problems('a: !foo x\nb:\n  - !!binary aGk=\nc: !!set {x}\nd: !!timestamp 2001-12-14\ne: !!python/object:os.system x\n')).toEqual([
      "1:4 unknown YAML tag '!foo': pgha reads !unsafe, !vault and YAML's !!str, !!int, !!float, !!bool, !!null, !!map and !!seq",
      "3:5 unknown YAML tag '!!binary': pgha reads !unsafe, !vault and YAML's !!str, !!int, !!float, !!bool, !!null, !!map and !!seq",
      "4:4 unknown YAML tag '!!set': pgha reads !unsafe, !vault and YAML's !!str, !!int, !!float, !!bool, !!null, !!map and !!seq",
      "5:4 unknown YAML tag '!!timestamp': pgha reads !unsafe, !vault and YAML's !!str, !!int, !!float, !!bool, !!null, !!map and !!seq",
      "6:4 unknown YAML tag '!!python/object:os.system': pgha reads !unsafe, !vault and YAML's !!str, !!int, !!float, !!bool, !!null, !!map and !!seq",
    ])
  })

  it('as Ansible allows: !!python/dict, !!python/unicode and the non-specific !', () => {
    expect(read('a: !!python/dict {b: 1}\nc: !!python/unicode yes\nd: ! 12\n')).toEqual({ a: { b: 1 }, c: 'yes', d: '12' })
  })
})
