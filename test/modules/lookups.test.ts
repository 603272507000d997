// ping and getent on this machine: ping's answer and its crash switch; getent's facts in Ansible's shape
// (passwd split at ':', hosts at whitespace, repeated first fields as lists), a missing key with and
// without fail_key, and keys that would be options refused before any command runs.
import { describe, expect, it } from 'vitest'
import { onHost } from './file-host.js'
import { entries } from '../../src/modules/getent.js'
import { getModule } from '../../src/modules/index.js'

describe('ping', () => {
  it('answers pong, or data, and fails on crash', async () => {
    expect((await onHost('ansible.builtin.ping', {})).result.ping).toBe('pong')
    expect((await onHost('ping', { data: 'hello' })).result.ping).toBe('hello')
    await expect(onHost('ping', { data: 'crash' })).rejects.toThrow('boom')
  })
})

describe('getent', () => {
  it('sets getent_passwd from a key, split at colons', async () => {
    const r = await onHost('getent', { database: 'passwd', key: 'root' })
    expect(r.result.ansible_facts).toEqual({ getent_passwd: { root: ['x', '0', '0', 'root', '/root', '/bin/bash'] } })
    expect(r.plan.changes).toEqual([])
  })
  it('fails on a missing key unless fail_key is false, then the key maps to null', async () => {
    await expect(onHost('getent', { database: 'passwd', key: 'no-such-user-here' })).rejects.toThrow('One or more supplied key could not be found in the database.')
    const r = await onHost('getent', { database: 'passwd', key: 'no-such-user-here', fail_key: false })
    expect(r.result.ansible_facts).toEqual({ getent_passwd: { 'no-such-user-here': null } })
  })
  it('splits other databases at whitespace and lists a repeated first field', () => {
    expect(entries('127.0.0.1  localhost\n::1 localhost ip6-localhost\n127.0.0.1 other\n')).toEqual({
      '127.0.0.1': [['localhost'], ['other']],
      '::1': ['localhost', 'ip6-localhost'],
    })
  })
  it('refuses a key that starts with - or holds a line break, and an unknown-looking database', () => {
    const parse = (p: Record<string, unknown>) => getModule('getent')!.params.safeParse(p)
    expect(parse({ database: 'passwd', key: '-s' }).success).toBe(false)
    expect(parse({ database: 'passwd', key: 'root\nx' }).success).toBe(false)
    expect(parse({ database: 'passwd;id' }).success).toBe(false)
  })
})
