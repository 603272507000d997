// The shipped production example (inventory/production.example/) means what it says: every value written
// in it is the value pgha resolves for the hosts, and its settings stay in step with the defaults.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadInventory } from '../../src/inventory/index.js'
import { projectRoot } from '../../src/project-root.js'
import { parseYaml } from '../../src/yaml-source.js'

const EXAMPLE = join(projectRoot(), 'inventory', 'production.example')
const read = (path: string): Record<string, unknown> => parseYaml(readFileSync(path, 'utf8'), path) as Record<string, unknown>

interface YamlGroup {
  hosts?: Record<string, Record<string, unknown> | null>
  vars?: Record<string, unknown>
  children?: Record<string, YamlGroup | null>
}

/** Every host of a YAML inventory with the variables written for it, and every group's inline vars. */
function written(group: YamlGroup, name: string, into = { hosts: new Map<string, Record<string, unknown>>(), groupVars: new Map<string, Record<string, unknown>>() }) {
  if (group.vars) into.groupVars.set(name, group.vars)
  for (const [host, vars] of Object.entries(group.hosts ?? {})) into.hosts.set(host, { ...into.hosts.get(host), ...vars })
  for (const [child, g] of Object.entries(group.children ?? {})) written(g ?? {}, child, into)
  return into
}

describe('inventory/production.example', () => {
  const inv = loadInventory(EXAMPLE)
  const hostsFile = written((read(join(EXAMPLE, 'hosts.yml')) as { all: YamlGroup }).all, 'all')
  const settings = read(join(EXAMPLE, 'group_vars', 'all.yml'))

  it('loads without a warning, and has the article\'s two hosts', () => {
    expect(inv.warnings).toBeUndefined()
    expect([...inv.hosts.keys()]).toEqual(['node1', 'node2'])
    expect(inv.groups.get('primary')!.hosts).toEqual(['node1'])
    expect(inv.groups.get('standby')!.hosts).toEqual(['node2'])
  })

  it('writes settings in group_vars/all.yml, none inline under a group that a file could override', () => {
    expect([...hostsFile.groupVars.keys()]).toEqual([])
  })

  it.each(['node1', 'node2'])('%s resolves every value written for it to exactly that value', (host) => {
    const expected = { ...settings, ...hostsFile.hosts.get(host) }
    expect(Object.keys(expected).length).toBeGreaterThan(40)
    expect(inv.hosts.get(host)!.vars).toEqual(expected)
  })

  it("holds every default, each with the default's value except where the article's pair differs", () => {
    const defaults = read(join(projectRoot(), 'inventory', 'group_vars', 'all.yml'))
    const differs = Object.keys(defaults).filter((k) => JSON.stringify(defaults[k]) !== JSON.stringify(settings[k]))
    expect(differs).toEqual(['repmgr_src_tarball'])
    expect(settings.repmgr_src_tarball).toBe('files/repmgr-5.3.0.tar.gz')
    expect(Object.keys(settings).filter((k) => !(k in defaults))).toEqual(['ansible_user', 'pgha_render_facts'])
  })
})
