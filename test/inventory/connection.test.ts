import { homedir, userInfo } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { becomeSpec, connectionSpec, loadInventory, type InventoryHost } from '../../src/inventory/index.js'
import { problems, writeTree } from './helpers.js'

const host = (vars: Record<string, unknown>, file = '/srv/inv/hosts.yml'): InventoryHost => ({ name: 'db1', vars, groups: [], loc: { file, line: 1, col: 1 } })

describe('connectionSpec', () => {
  it('defaults to ssh to the inventory name on port 22 as the current user', () => {
    expect(connectionSpec(host({}))).toEqual({
      host: 'db1', connection: 'ssh', address: 'db1', port: 22, user: userInfo().username, connectTimeoutMs: 10_000,
    })
  })

  it('reads the Ansible connection variables, expanding ~ in the key path', () => {
    const spec = connectionSpec(host({
      ansible_host: '192.0.2.10', ansible_port: '2222', ansible_user: 'postgres', ansible_ssh_private_key_file: '~/.ssh/pg',
      ansible_timeout: 3,
    }), { connectTimeoutMs: 5000, acceptNewHostKeys: true })
    expect(spec).toEqual({
      host: 'db1', connection: 'ssh', address: '192.0.2.10', port: 2222, user: 'postgres',
      privateKeyFile: join(homedir(), '.ssh/pg'), connectTimeoutMs: 3000, acceptNewHostKeys: true,
    })
  })

  it('accepts the old ansible_ssh_host/_port/_user names', () => {
    expect(connectionSpec(host({ ansible_ssh_host: '192.0.2.11', ansible_ssh_port: 2200, ansible_ssh_user: 'root' }))).toMatchObject({ address: '192.0.2.11', port: 2200, user: 'root' })
  })

  it('connects locally with ansible_connection=local', () => {
    expect(connectionSpec(host({ ansible_connection: 'local' })).connection).toBe('local')
    expect(connectionSpec(host({ ansible_connection: 'smart' })).connection).toBe('ssh')
  })

  it('resolves pgha_known_hosts_file from the directory of the file defining the host, before the option', () => {
    expect(connectionSpec(host({ pgha_known_hosts_file: 'lab.known_hosts' }), { knownHostsFile: '/etc/other' }).knownHostsFile).toBe('/srv/inv/lab.known_hosts')
    expect(connectionSpec(host({}), { knownHostsFile: '/etc/other' }).knownHostsFile).toBe('/etc/other')
  })

  it('finds a jump host in ProxyJump, -J and the classic ssh -W ProxyCommand', () => {
    const jump = (args: string): string | undefined => connectionSpec(host({ ansible_ssh_common_args: args })).jumpHost
    expect(jump('-o ProxyJump=admin@bastion:2222')).toBe('admin@bastion:2222')
    expect(jump('-o "ProxyJump bastion"')).toBe('bastion')
    expect(jump('-J ssh://ops@gw')).toBe('ops@gw')
    expect(jump('-o ProxyCommand="ssh -W %h:%p -q user@gateway.example.com"')).toBe('user@gateway.example.com')
    expect(jump("-o 'ProxyCommand=ssh -l ops -p 2022 -W %h:%p gw'")).toBe('ops@gw:2022')
    expect(connectionSpec(host({ ansible_ssh_extra_args: '-J jump1' })).jumpHost).toBe('jump1')
    expect(jump('-o ProxyJump=none')).toBeUndefined()
  })

  it('takes UserKnownHostsFile and StrictHostKeyChecking=accept-new from ssh args', () => {
    const spec = connectionSpec(host({ ansible_ssh_common_args: '-o StrictHostKeyChecking=accept-new -o UserKnownHostsFile=~/kh' }))
    expect(spec).toMatchObject({ acceptNewHostKeys: true, knownHostsFile: join(homedir(), 'kh') })
    expect(connectionSpec(host({ ansible_ssh_common_args: '-o StrictHostKeyChecking=yes' }))).not.toHaveProperty('acceptNewHostKeys')
  })

  it('throws for what it cannot do', () => {
    expect(() => connectionSpec(host({ ansible_connection: 'docker' }))).toThrow("ansible_connection 'docker' is not supported: pgha connects with ssh or local")
    expect(() => connectionSpec(host({ ansible_ssh_common_args: '-J a,b' }))).toThrow("ansible_ssh_common_args: pgha supports one jump host, got 'a,b'")
    expect(() => connectionSpec(host({ ansible_ssh_common_args: '-o ProxyCommand="nc -X 5 -x proxy %h %p"' }))).toThrow(/unsupported ProxyCommand/)
    expect(() => connectionSpec(host({ ansible_port: 70000 }))).toThrow('ansible_port must be a port number (1-65535), got 70000')
  })
})

describe('becomeSpec', () => {
  it('is off unless ansible_become says otherwise, in any of Ansible\'s boolean spellings', () => {
    expect(becomeSpec({})).toEqual({ become: false })
    expect(becomeSpec({ ansible_become: 'yes', ansible_become_user: 'postgres' })).toEqual({ become: true, user: 'postgres' })
    expect(becomeSpec({ ansible_become: 'False' }).become).toBe(false)
    expect(becomeSpec({ ansible_become: 1 }).become).toBe(true)
  })

  it('reads the password from ansible_become_password or ansible_become_pass', () => {
    expect(becomeSpec({ ansible_become: true, ansible_become_pass: 's3cret' })).toEqual({ become: true, password: 's3cret' })
    expect(becomeSpec({ ansible_become: true, ansible_become_password: 'a', ansible_become_pass: 'b' }).password).toBe('a')
  })

  it('refuses other become methods and non-booleans', () => {
    expect(() => becomeSpec({ ansible_become_method: 'su' })).toThrow("ansible_become_method 'su' is not supported: pgha becomes other users with sudo")
    expect(() => becomeSpec({ ansible_become: 'maybe' })).toThrow('ansible_become must be a boolean (true/false, yes/no), got "maybe"')
  })
})

describe('connection variables are checked when the inventory loads', () => {
  it('reports a bad value once, where it is set, and skips templated values', () => {
    const dir = writeTree({
      'hosts.ini': '[db]\nn1\nn2\nn3 ansible_become=perhaps\n[db:vars]\nansible_port=ssh\nansible_user="{{ admin }}"\n',
      'host_vars/n2.yml': 'ansible_connection: winrm\nansible_ssh_private_key_file: "{{ key }}"\n',
    })
    expect(problems(() => loadInventory(join(dir, 'hosts.ini')), dir)).toEqual([
      'hosts.ini:6:1: host \'n1\': ansible_port must be a port number (1-65535), got "ssh"',
      "host_vars/n2.yml:1:1: host 'n2': ansible_connection 'winrm' is not supported: pgha connects with ssh or local",
      'hosts.ini:4:4: host \'n3\': ansible_become must be a boolean (true/false, yes/no), got "perhaps"',
    ])
  })
})
