// vars_prompt: what is asked on the terminal and what the play's tasks then see; -e values are not asked
// for; without a terminal the default is taken, and a prompt with no default is an input error before any
// host is contacted; private answers are secrets; confirm, encrypt and unsafe as in Ansible.
import { describe, expect, it } from 'vitest'
import { ConfigErrors } from '../../src/errors.js'
import { MASK } from '../../src/secrets/index.js'
import { passwordHash } from '../../src/vars/jinja/crypto.js'
import { localHosts, project } from './harness.js'

const playbook = (prompts: string, msg: string): string => `
- hosts: all
  gather_facts: false
  vars_prompt:
${prompts}
  tasks:
    - name: show
      debug:
        msg: "${msg}"
`

describe('vars_prompt', () => {
  it('asks for each value not given with -e, private ones without echo, and masks the private answers', async () => {
    const p = project(localHosts(['hostA']))
    p.write('site.yml', playbook(`    - name: db_name
      prompt: Database name
      default: app
      private: false
    - name: db_password
      prompt: Password
    - name: given
      prompt: Not asked`, '{{ db_name }} {{ db_password }} {{ given }}'))
    const asked: [string, boolean][] = []
    const answers: Record<string, string> = { 'Database name [app]: ': '', 'Password: ': 'hunter22' }
    const r = await p.run({ extraVars: ['given=from-e'], prompt: (q, hidden) => (asked.push([q, hidden]), answers[q]) })
    expect(asked).toEqual([['Database name [app]: ', false], ['Password: ', true]])
    expect(r.results('show').hostA.result.msg).toBe(`app ${MASK} from-e`)
  })

  it('takes the default without a terminal, and refuses a prompt without one where it is written, before contacting any host', async () => {
    // Port 1: a run that contacted the host would report it unreachable instead.
    const p = project('far ansible_host=127.0.0.1 ansible_port=1\n')
    p.write('site.yml', playbook(`    - name: with_default
      default: dflt
    - name: needed
      prompt: Needed`, '{{ with_default }} {{ needed }}'))
    const err = await p.run().catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ConfigErrors)
    expect((err as ConfigErrors).errors.map((e) => `${e.loc?.line}:${e.loc?.col}: ${e.message}`)).toEqual([
      "7:13: vars_prompt 'needed' has no value: there is no terminal to ask on; give it with -e needed=VALUE (or a default:)",
    ])
    const q = project(localHosts(['hostA']))
    q.write('site.yml', playbook('    - name: with_default\n      default: dflt\n      private: false', '{{ with_default }}'))
    expect((await q.run()).results('show').hostA.result.msg).toBe('dflt')
  })

  it('asks again while confirm differs, hashes with encrypt, and keeps an unsafe answer as text', async () => {
    const p = project(localHosts(['hostA']))
    p.write('site.yml', playbook(`    - name: hashed
      prompt: New password
      confirm: true
      encrypt: sha512_crypt
      salt: abcdefgh
    - name: raw
      prompt: Raw
      private: false
      unsafe: true`, '{{ hashed }} {{ raw }}').replace('    - name: show', `    - copy: { dest: "${p.dir}/hashed", content: "{{ hashed }}" }
    - name: show`))
    const typed = ['one', 'two', 'pw', 'pw', '{{ not_a_variable }}']
    const asked: string[] = []
    const r = await p.run({ prompt: (q) => (asked.push(q), typed.shift()!) })
    expect(asked).toEqual([
      'New password: ', 'confirm New password: ', '***** VALUES ENTERED DO NOT MATCH ****\nNew password: ', 'confirm New password: ', 'Raw: ',
    ])
    // The hash is what the play sees, and, as the answer to a private prompt, a secret of the run.
    expect(p.read('hashed')).toBe(passwordHash('pw', 'sha512_crypt', 'abcdefgh', undefined, undefined))
    expect(p.read('hashed')).toMatch(/^\$6\$abcdefgh\$/)
    expect(r.results('show').hostA.result.msg).toBe(`${MASK} {{ not_a_variable }}`)
  })

  it('reports a misused entry where it is written', async () => {
    const p = project(localHosts(['hostA']))
    p.write('site.yml', playbook(`    - name: a
      promt: A
    - name: b
      encrypt: md5_crypt
    - prompt: no name
    - name: 1bad`, 'x'))
    const err = await p.run({ extraVars: ['a=1', 'b=2'] }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ConfigErrors)
    expect((err as ConfigErrors).errors.map((e) => `${e.loc?.line}:${e.loc?.col}: ${e.message}`)).toEqual([
      "6:7: unknown keyword 'promt' in vars_prompt (did you mean 'prompt'?)",
      "8:16: encrypt 'md5_crypt' is not supported: pgha hashes with sha512_crypt or sha256_crypt",
      '9:7: a vars_prompt entry needs name: (the variable it sets)',
      '10:13: name must be a variable name (letters, digits, _), got the string "1bad"',
    ])
  })
})
