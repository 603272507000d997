import { describe, expect, it } from 'vitest'
import { maskSecrets } from '../../src/secrets/index.js'

describe('maskSecrets', () => {
  it('masks password-like names at any depth (passwd too: better too much), not key file paths', () => {
    expect(maskSecrets({
      ansible_become_password: 'a', ansible_become_pass: 'b', repmgr_password: 'c', api_token: 'd', client_secret: 'e',
      ssh_private_key: 'f', ansible_ssh_private_key_file: '~/.ssh/id', passwd_file: 'g', db: { users: [{ name: 'x', password: 'h' }] },
      port: 5432, empty_password: null,
    })).toEqual({
      ansible_become_password: '********', ansible_become_pass: '********', repmgr_password: '********', api_token: '********',
      client_secret: '********', ssh_private_key: '********', ansible_ssh_private_key_file: '~/.ssh/id', passwd_file: '********',
      db: { users: [{ name: 'x', password: '********' }] }, port: 5432, empty_password: null,
    })
  })

  it('masks names listed in secret_vars or given by the caller, and leaves the input alone', () => {
    const vars = { secret_vars: ['replication_key'], replication_key: 'k', cluster_name: 'c', pg_dsn: 'd' }
    expect(maskSecrets(vars, new Set(['pg_dsn']))).toEqual({ secret_vars: ['replication_key'], replication_key: '********', cluster_name: 'c', pg_dsn: '********' })
    expect(vars.replication_key).toBe('k')
  })
})
