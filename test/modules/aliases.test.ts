// Ansible's parameter aliases: read as their parameter, listed by `pgha doc`, and an error when both are given.
import { describe, expect, it } from 'vitest'
import { describeParams } from '../../src/modules/describe.js'
import { getModule } from '../../src/modules/index.js'

describe('withAliases', () => {
  const addHost = getModule('ansible.builtin.add_host')!
  it('reads an alias as its parameter', () => {
    expect(addHost.params.parse({ hostname: 'db1', groupname: 'g' })).toEqual({ name: 'db1', groups: ['g'] })
  })
  it('refuses a parameter and its alias together, and a missing required one names its aliases', () => {
    expect(() => addHost.params.parse({ name: 'a', host: 'b' })).toThrow(/host is an alias of name: give one of them/)
    expect(() => addHost.params.parse({ groups: 'g' })).toThrow(/name is required \(or one of its aliases: host, hostname\)/)
  })
  it('lists the aliases in pgha doc', () => {
    const rows = describeParams(addHost.params)
    expect(rows.find((r) => r.name === 'hostname')?.description).toBe('Alias of name.')
    expect(rows.find((r) => r.name === 'name')).toBeDefined()
  })
  it('answers to the collection names Ansible users know', () => {
    expect(getModule('community.general.locale_gen')?.name).toBe('locale_gen')
    for (const m of ['cron', 'known_hosts', 'group_by', 'service_facts', 'package_facts', 'apt_repository', 'deb822_repository', 'apt_key', 'yum_repository']) {
      expect(getModule(`ansible.builtin.${m}`)?.name).toBe(m)
    }
  })
})
