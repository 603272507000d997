import { describe, expect, it } from 'vitest'
import { maskSecretAssignments, scrub } from '../../src/secrets/index.js'

describe('scrub', () => {
  it('replaces every occurrence, longest secret first', () => {
    const secrets = ['pass', 'pass-long']
    expect(scrub('a pass-long b pass c', secrets)).toBe('a ******** b ******** c')
  })
  it('treats secrets as text, not regular expressions', () => {
    expect(scrub('x a.b*c y a-bbc', ['a.b*c'])).toBe('x ******** y a-bbc')
  })
  it('leaves text alone without secrets and sees secrets appended later to the same list', () => {
    const list: string[] = []
    expect(scrub('nothing secret', list)).toBe('nothing secret')
    list.push('secret')
    expect(scrub('nothing secret', list)).toBe('nothing ********')
  })
})

// An input error quotes the line it is on before any variable is known: the value of a secret-named
// assignment on that line must not be printed, the rest must stay readable to find the mistake.
describe('maskSecretAssignments', () => {
  it('masks the value assigned to a password, secret or token name, in INI, YAML and JSON forms', () => {
    expect(maskSecretAssignments('node1 db_password=s3cr3t ansible_port=22')).toBe('node1 db_password=******** ansible_port=22')
    expect(maskSecretAssignments('  ansible_become_pass: hunter22')).toBe('  ansible_become_pass: ********')
    expect(maskSecretAssignments('{"api_token": "abc def", "user": "alice"}')).toBe('{"api_token": ********, "user": "alice"}')
  })
  it('reads `name:` as an assignment only before a blank, or after a quoted name, so a location stays readable', () => {
    const error = '/root/.pgha/prod-secrets.yml:3:17: YAML syntax error: this double quote is never closed'
    expect(maskSecretAssignments(error)).toBe(error)
    expect(maskSecretAssignments('vault_passwords.yml:1:1: cannot decrypt')).toBe('vault_passwords.yml:1:1: cannot decrypt')
    expect(maskSecretAssignments('{"api_token":"abc", "user": "alice"}')).toBe('{"api_token":********, "user": "alice"}')
    expect(maskSecretAssignments('x.yml:2:1: bad\n  2 | db_password:\tsecret1')).toBe('x.yml:2:1: bad\n  2 | db_password:\t********')
  })
  it('leaves assignments to other names alone', () => {
    expect(maskSecretAssignments('user=alice ansible_host=10.0.0.1')).toBe('user=alice ansible_host=10.0.0.1')
    // A PostgreSQL setting naming how passwords are stored, as a task name in pgha render's listing.
    expect(maskSecretAssignments('repmgr.yml:77:7  password_encryption = scram-sha-256 (a SCRAM verifier)')).toBe('repmgr.yml:77:7  password_encryption = scram-sha-256 (a SCRAM verifier)')
    expect(maskSecretAssignments('db_password_encryption_key=abc')).toBe('db_password_encryption_key=********')
  })
})
