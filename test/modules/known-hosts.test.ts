// known_hosts: the edits Ansible's module makes (add, same key again, replace a key of the same type, add
// another type, [host]:port, hashed names, absent with and without a key), on text and against
// ansible-playbook on a file in a temp dir: the same changed status for every task and the same bytes.
import { describe, expect, it } from 'vitest'
import { editKnownHosts, hashHost, hostMatches } from '../../src/modules/known_hosts.js'
import knownHosts from '../../src/modules/known_hosts.js'
import { haveAnsible, bothSides } from './ansible-differential.js'

const ED1 = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOVi1BwMzbR0+JNwQZJdOD0cJiIjubbzCU7tHjXp18Xk'
const ED2 = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICz+T9MV4n8v9K2B3H8DZHY9mvmQ3DGS5/ndt1l0HPfp'
const RSA = 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQCs/Z7mva1hOKnZGMZ5Mttquk2Kr6u0PYk1sWsWe9qRz1s1rvVtEMvzcuMpdRXhT01mh32lX16k/plUu28zgdeIpqMaWpmXXlqD1VgG9SRA+DUV3sg39ig+KWdu9XDuv8j/vK7aoBTm26MhEa/TBCfhrh7wiA0rXK2KcloSStWHMw=='

describe('known_hosts text edits', () => {
  it('adds, keeps, replaces the key of the same type and appends another type', () => {
    let t = editKnownHosts('', 'db1', `db1 ${ED1}`, 'present')
    expect(t).toBe(`db1 ${ED1}\n`)
    expect(editKnownHosts(t, 'db1', `db1 ${ED1}`, 'present')).toBe(t)
    t = editKnownHosts(t, 'db1', `db1 ${ED2}`, 'present')
    expect(t).toBe(`db1 ${ED2}\n`)
    expect(editKnownHosts(t, 'db1', `db1 ${RSA}`, 'present')).toBe(`db1 ${ED2}\ndb1 ${RSA}\n`)
  })
  it('finds a host in a name list, by pattern and hashed, and absent without a key removes every entry', () => {
    const hashed = hashHost('db2', `db2 ${ED1}`)
    expect(hostMatches(hashed.split(' ')[0], 'db2')).toBe(true)
    expect(hostMatches(hashed.split(' ')[0], 'db3')).toBe(false)
    expect(hostMatches('db*,!db9', 'db2')).toBe(true)
    expect(hostMatches('db*,!db9', 'db9')).toBe(false)
    const text = `# mine\ndb2,10.0.0.2 ${ED1}\n${hashed}\nother ${RSA}\n`
    expect(editKnownHosts(text, 'db2', undefined, 'absent')).toBe(`# mine\nother ${RSA}\n`)
  })
  it('refuses a key on two lines, a name with a comma, and a key for another host', async () => {
    const { runModule } = await import('./harness.js')
    const { FakeTransport } = await import('../../src/transport/fake.js')
    const t = () => new FakeTransport('node1').respond(/printf/, { stdout: '/root' }).respond(/./, { rc: 0, stdout: '' })
    await expect(runModule('known_hosts', { name: 'db1', key: `db1 ${ED1}\nevil ${ED2}`, path: '/x/kh' }, t())).rejects.toThrow(/line break/)
    await expect(runModule('known_hosts', { name: 'db1,db2', key: `db1 ${ED1}`, path: '/x/kh' }, t())).rejects.toThrow(/white space or ","/)
    await expect(runModule('known_hosts', { host: 'db1', key: `db2 ${ED1}`, path: '/x/kh' }, t())).rejects.toThrow(/does not match/)
    expect(() => knownHosts.params.parse({ name: 'db1' })).toThrow(/No key specified/)
  })
})

describe.skipIf(!haveAnsible)('known_hosts as ansible-playbook edits it', () => {
  const task = (name: string, args: string): string => `    - name: ${name}\n      known_hosts: { path: DIR/known_hosts, ${args} }\n`
  it('changes the same tasks and leaves the same file', async () => {
    const tasks = [
      task('add', `name: db1, key: "db1 ${ED1}"`),
      task('again', `name: db1, key: "db1 ${ED1}"`),
      task('replace', `name: db1, key: "db1 ${ED2}"`),
      task('other type', `name: DB1, key: "db1 ${RSA}"`),
      task('port', `name: "[db2]:2222", key: "[db2]:2222 ${ED1}"`),
      task('hashed', `name: db3, key: "db3 ${ED1}", hash_host: true`),
      task('hashed again', `name: db3, key: "db3 ${ED1}", hash_host: true`),
      task('absent other key', `name: db1, key: "db1 ${ED1}", state: absent`),
      task('absent key', `name: db1, key: "db1 ${ED2}", state: absent`),
      task('absent all', `name: db3, state: absent`),
      task('absent missing', `name: db9, state: absent`),
    ].join('')
    const { ansible, pgha } = await bothSides(tasks, { seed: { known_hosts: '# kept\n' } })
    expect(pgha.tasks.map((t) => [t.name, t.changed, t.failed])).toEqual(ansible.tasks.map((t) => [t.name, t.changed, t.failed]))
    expect(pgha.files.known_hosts).toBe(ansible.files.known_hosts)
  }, 180_000)
  it('shows the same diff in check mode and writes nothing', async () => {
    const seed = { known_hosts: `db1 ${ED1}\nx ${RSA}\n` }
    const tasks = task('replace', `name: db1, key: "db1 ${ED2}"`) + task('remove', `name: x, state: absent`)
    const { ansible, pgha } = await bothSides(tasks, { check: true, seed })
    expect(pgha.tasks.map((t) => t.changed)).toEqual(ansible.tasks.map((t) => t.changed))
    expect(pgha.tasks[0].diff).toEqual(ansible.tasks[0].diff)
    // Ansible's diff of a removal without a key shows the file unchanged (it never looks up the line);
    // pgha's shows the lines that go.
    expect(ansible.tasks[1].diff[0].after).toBe(seed.known_hosts)
    expect(pgha.tasks[1].diff).toEqual([{ before: seed.known_hosts, after: `db1 ${ED1}\n` }])
    expect(pgha.files).toEqual(seed)
  }, 180_000)
})
