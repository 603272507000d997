import { describe, expect, it } from 'vitest'
import { secretValues } from '../../src/secrets/index.js'

describe('secretValues', () => {
  it('finds connection passwords, password/secret/token-like names, secret_vars and given names', () => {
    const vars = {
      ansible_become_password: 'b3come',
      ansible_password: 'x', // named explicitly: kept however short
      repmgr_password: 'repmgr-pw',
      api_token: 'tok-123456',
      db_secrets: { app: 'app-secret-1', list: ['nested-secret'] },
      password_min_len: 8, // guessed by name, too short to scrub everywhere
      custom: 'listed-value',
      other: 'given-by-engine',
      secret_vars: ['custom'],
      pg_port: 5432,
      plain: 'visible',
    }
    const found = secretValues(vars, new Set(['other']))
    expect(new Set(found)).toEqual(
      new Set(['b3come', 'x', 'repmgr-pw', 'tok-123456', 'app-secret-1', 'nested-secret', 'listed-value', 'given-by-engine']),
    )
    expect(found.map((s) => s.length)).toEqual([...found.map((s) => s.length)].sort((a, b) => b - a))
  })

  it('leaves getent_passwd readable (names, ids, homes), as the passwd database is, however its name looks', () => {
    const vars = {
      getent_passwd: { alice: ['x', '2101', '2101', 'Alice the DBA', '/home/alice', '/bin/bash'] },
      ansible_facts: { getent_passwd: { bob: ['x', '2102', '2102', 'Bob Builder', '/home/bob', '/bin/sh'] } },
      db_passwd: 'a-real-one',
    }
    expect(secretValues(vars)).toEqual(['a-real-one'])
  })

  it('finds the password hashes of getent_shadow and getent_gshadow, also among the facts, though no secret word names them', () => {
    const hash = '$y$j9T$abcdefgh$0123456789abcdefghijklmnopqrstuvwxyzABCD'
    const vars = {
      getent_shadow: { alice: [hash, '19700', '0', '90', '7', '', '', ''] },
      ansible_facts: { getent_gshadow: { dbadmins: ['$6$group-hash', '', 'alice'] } },
    }
    const found = secretValues(vars)
    expect(found).toContain(hash)
    expect(found).toContain('$6$group-hash')
  })

  it('renders templated secrets, so the real value is scrubbed', () => {
    const vars = { vault_secret: 'from-vault', repmgr_password: '{{ vault_secret }}-suffix', broken_password: '{{ nope }}' }
    expect(secretValues(vars)).toEqual(['from-vault-suffix', 'from-vault'])
  })

  it('skips a variable whose getter throws (an unresolvable template)', () => {
    const vars = Object.defineProperty({ a_password: 'fine-one' }, 'b_password', { enumerable: true, get: () => { throw new Error('x') } })
    expect(secretValues(vars)).toEqual(['fine-one'])
  })
})
