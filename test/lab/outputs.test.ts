import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { inventoryText, knownHostsText } from '../../src/lab/index.js'
import { useTempLabDir } from './temp-lab-dir.js'

const nodes = [
  { name: 'node1', address: '10.77.0.11' },
  { name: 'node2', address: '10.77.0.12' },
  { name: 'node3', address: '10.77.0.13' },
]

describe('lab inventory', () => {
  const labDir = useTempLabDir()

  it('puts every node in lab with its address, root and the lab key; the first is primary, the rest standby', () => {
    const inv = parse(inventoryText(nodes, '/x/lab.known_hosts'))
    expect(inv.all.vars.pgha_known_hosts_file).toBe('/x/lab.known_hosts')
    expect(inv.all.vars.ansible_ssh_common_args).toBe('-o StrictHostKeyChecking=yes -o UserKnownHostsFile=/x/lab.known_hosts')
    expect(inv.all.children.lab.hosts.node2).toEqual({
      ansible_host: '10.77.0.12',
      repmgr_node_id: 2,
      ansible_user: 'root',
      ansible_ssh_private_key_file: join(labDir(), 'id_ed25519'),
    })
    expect(Object.keys(inv.all.children.primary.hosts)).toEqual(['node1'])
    expect(Object.keys(inv.all.children.standby.hosts)).toEqual(['node2', 'node3'])
    // Declared even when empty, so the playbooks' primary:standby:witness patterns resolve.
    expect(inv.all.children.witness.hosts).toEqual({})
    // Without a backup host, the last standby keeps the pgBackRest repository.
    expect(Object.keys(inv.all.children.backup.hosts)).toEqual(['node3'])
  })

  it('moves a backup host out of standby into group backup, the only host there', () => {
    const inv = parse(inventoryText(nodes, '/x/k', undefined, {}, 'node3'))
    expect(Object.keys(inv.all.children.standby.hosts)).toEqual(['node2'])
    expect(Object.keys(inv.all.children.backup.hosts)).toEqual(['node3'])
    expect(inv.all.children.lab.hosts.node3).toMatchObject({ ansible_host: '10.77.0.13' })
  })

  it('moves the witness out of standby into its own group', () => {
    const inv = parse(inventoryText(nodes, '/x/k', 'node3'))
    expect(Object.keys(inv.all.children.standby.hosts)).toEqual(['node2'])
    expect(Object.keys(inv.all.children.witness.hosts)).toEqual(['node3'])
    expect(Object.keys(inv.all.children.backup.hosts)).toEqual(['node2'])
  })

  it('files every host key of every node under its name and address', () => {
    for (const [n, key] of [['node1', 'AAAAone'], ['node2', 'AAAAtwo']] as const) {
      const dir = join(labDir(), 'nodes', n, 'hostkeys', 'etc', 'ssh')
      mkdirSync(dir, { recursive: true })
      writeFileSync(join(dir, 'ssh_host_ed25519_key.pub'), `ssh-ed25519 ${key}-ed root@builder\n`)
      writeFileSync(join(dir, 'ssh_host_ed25519_key'), 'PRIVATE')
      writeFileSync(join(dir, 'ssh_host_rsa_key.pub'), `ssh-rsa ${key}-rsa root@builder\n`)
    }
    expect(knownHostsText(nodes.slice(0, 2))).toBe([
      'node1,10.77.0.11 ssh-ed25519 AAAAone-ed',
      'node1,10.77.0.11 ssh-rsa AAAAone-rsa',
      'node2,10.77.0.12 ssh-ed25519 AAAAtwo-ed',
      'node2,10.77.0.12 ssh-rsa AAAAtwo-rsa',
      '',
    ].join('\n'))
  })
})
