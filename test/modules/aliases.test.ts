// Ansible's parameter aliases, declared by each module as ModuleDef.aliases: read as their parameter,
// listed by `pgha doc`, and an input error with its position when a parameter and its alias are both given.
import { describe, expect, it } from 'vitest'
import { aliasesOf, resolveAliases } from '../../src/modules/aliases.js'
import { getModule } from '../../src/modules/index.js'
import { load, problems } from '../playbook/load-text.js'

const play = (task: string): string => `- hosts: all\n  tasks:\n    - ${task}\n`

describe('module aliases', () => {
  const addHost = getModule('ansible.builtin.add_host')!
  it('reads an alias as its parameter', () => {
    expect(addHost.params.parse(resolveAliases(addHost, { hostname: 'db1', groupname: 'g' }).args)).toEqual({ name: 'db1', groups: ['g'] })
    const task = load(play('add_host: { hostname: db1, groupname: g }')).plays[0].tasks[0] as { args: Record<string, unknown> }
    expect(task.args).toEqual({ name: 'db1', groups: 'g' })
  })
  it('refuses a parameter and its alias together at the alias, and a missing required one', () => {
    expect(problems(play('add_host: { name: a, host: b }'))).toEqual([
      "3:28: module 'add_host' was given 'name' more than once, as 'name' and 'host' (aliases of one parameter); give one",
    ])
    expect(problems(play('add_host: { groups: g }'))).toEqual(["3:7: module 'add_host' requires parameter 'name'"])
    expect(problems(play('replace: { path: /a, dest: /b, regexp: x }'))).toEqual([
      "3:28: module 'replace' was given 'path' more than once, as 'path' and 'dest' (aliases of one parameter); give one",
    ])
  })
  it('lists the aliases in pgha doc', () => {
    expect(aliasesOf(addHost, 'name')).toEqual(['host', 'hostname'])
    for (const [mod, param, aliases] of [['replace', 'path', ['dest', 'destfile', 'name']], ['sysctl', 'name', ['key']], ['find', 'paths', ['name', 'path']], ['cron', 'weekday', ['dow']], ['timezone', 'hwclock', ['rtc']]] as const) {
      expect(aliasesOf(getModule(mod)!, param)).toEqual(aliases)
    }
  })
  it('answers to the collection names Ansible users know', () => {
    expect(getModule('community.general.locale_gen')?.name).toBe('locale_gen')
    for (const m of ['cron', 'known_hosts', 'group_by', 'service_facts', 'package_facts', 'apt_repository', 'deb822_repository', 'apt_key', 'yum_repository']) {
      expect(getModule(`ansible.builtin.${m}`)?.name).toBe(m)
    }
  })
})
