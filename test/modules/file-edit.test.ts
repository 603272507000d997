// lineinfile, blockinfile, copy and template applied to real files on this machine through LocalTransport:
// the first run changes the file, the second plans nothing (ok), check mode touches nothing.
import { mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync, lstatSync, existsSync, readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { onHost, planned, tempDir } from './file-host.js'

const modeOf = (p: string): string => (statSync(p).mode & 0o7777).toString(8).padStart(4, '0')

describe('lineinfile on a real file', () => {
  it('creates the file, then is idempotent, with one command to plan', async () => {
    const d = tempDir()
    const args = { path: `${d}/postgresql.conf`, regexp: '^#?listen_addresses', line: "listen_addresses = '*'", create: 'yes', mode: '0640' }
    const first = await onHost('lineinfile', args)
    expect(planned(first)).toEqual([`create ${d}/postgresql.conf`])
    expect(readFileSync(`${d}/postgresql.conf`, 'utf8')).toBe("listen_addresses = '*'\n")
    expect(modeOf(`${d}/postgresql.conf`)).toBe('0640')
    const second = await onHost('lineinfile', args)
    expect(second.plan.changes).toEqual([])
    expect(second.roundTrips).toBe(1)
  })
  it('replaces the matching line of an existing file and keeps the others', async () => {
    const d = tempDir()
    writeFileSync(`${d}/pg.conf`, "port = 5432\n#listen_addresses = 'localhost'\nwal_level = minimal\n")
    await onHost('lineinfile', { path: `${d}/pg.conf`, regexp: '^#?listen_addresses', line: "listen_addresses = '*'" })
    await onHost('lineinfile', { path: `${d}/pg.conf`, regexp: '^wal_level', line: 'wal_level = replica' })
    expect(readFileSync(`${d}/pg.conf`, 'utf8')).toBe("port = 5432\nlisten_addresses = '*'\nwal_level = replica\n")
    expect((await onHost('lineinfile', { path: `${d}/pg.conf`, regexp: '^wal_level', line: 'wal_level = replica' })).plan.changes).toEqual([])
  })
  it('edits the target of a symlink, leaving the link in place', async () => {
    const d = tempDir()
    writeFileSync(`${d}/real.conf`, 'a = 1\n')
    symlinkSync(`${d}/real.conf`, `${d}/link.conf`)
    await onHost('lineinfile', { path: `${d}/link.conf`, line: 'b = 2' })
    expect(lstatSync(`${d}/link.conf`).isSymbolicLink()).toBe(true)
    expect(readFileSync(`${d}/real.conf`, 'utf8')).toBe('a = 1\nb = 2\n')
  })
  it('leaves the file alone in check mode and when validate fails, keeping a backup when asked', async () => {
    const d = tempDir()
    writeFileSync(`${d}/x.conf`, 'a = 1\n')
    const check = await onHost('lineinfile', { path: `${d}/x.conf`, line: 'b = 2' }, { check: true })
    expect(check.plan.changes[0].after).toBe('a = 1\nb = 2\n')
    expect(readFileSync(`${d}/x.conf`, 'utf8')).toBe('a = 1\n')
    await expect(onHost('lineinfile', { path: `${d}/x.conf`, line: 'b = 2', validate: 'false %s' })).rejects.toThrow()
    expect(readFileSync(`${d}/x.conf`, 'utf8')).toBe('a = 1\n')
    const r = await onHost('lineinfile', { path: `${d}/x.conf`, line: 'b = 2', backup: true, validate: 'grep -q b %s' })
    expect(readFileSync(`${d}/x.conf`, 'utf8')).toBe('a = 1\nb = 2\n')
    expect(readFileSync(r.result.backup_file as string, 'utf8')).toBe('a = 1\n')
  })
})

describe('blockinfile on a real file', () => {
  it('inserts once, updates in place, removes with state=absent', async () => {
    const d = tempDir()
    const path = `${d}/pg_hba.conf`
    writeFileSync(path, 'local all all peer\n')
    const block = { path, block: 'host replication repmgr 10.0.0.0/8 trust' }
    expect(planned(await onHost('blockinfile', block))).toEqual([`update ${path}`])
    expect((await onHost('blockinfile', block)).plan.changes).toEqual([])
    await onHost('blockinfile', { path, block: 'host replication repmgr 10.1.0.0/16 trust' })
    expect(readFileSync(path, 'utf8')).toBe('local all all peer\n# BEGIN ANSIBLE MANAGED BLOCK\nhost replication repmgr 10.1.0.0/16 trust\n# END ANSIBLE MANAGED BLOCK\n')
    await onHost('blockinfile', { path, state: 'absent' })
    expect(readFileSync(path, 'utf8')).toBe('local all all peer\n')
  })
})

describe('copy and template on real files', () => {
  it('uploads a controller file, then sees it converged by checksum; a mode change is a chmod', async () => {
    const project = tempDir()
    mkdirSync(`${project}/files`)
    writeFileSync(`${project}/files/motd`, 'pgha node\n')
    const d = tempDir()
    const args = { src: 'motd', dest: `${d}/`, mode: '0600' }
    expect(planned(await onHost('copy', args, { project }))).toEqual([`create ${d}/motd`])
    expect(readFileSync(`${d}/motd`, 'utf8')).toBe('pgha node\n')
    expect(modeOf(`${d}/motd`)).toBe('0600')
    expect((await onHost('copy', args, { project })).plan.changes).toEqual([])
    expect(planned(await onHost('copy', { ...args, mode: 'u=rw,g=r' }, { project }))).toEqual([`set mode 0640 on ${d}/motd`])
    expect(modeOf(`${d}/motd`)).toBe('0640')
  })
  it('renders a template with variables and is idempotent', async () => {
    const project = tempDir()
    mkdirSync(`${project}/templates`)
    writeFileSync(`${project}/templates/repmgr.conf.hbs`, "node_id={{node_id}}\nnode_name='{{name}}'\n")
    const d = tempDir()
    const vars = { node_id: 2, name: 'node2' }
    await onHost('template', { src: 'repmgr.conf.hbs', dest: `${d}/repmgr.conf` }, { project, vars })
    expect(readFileSync(`${d}/repmgr.conf`, 'utf8')).toBe("node_id=2\nnode_name='node2'\n")
    expect((await onHost('template', { src: 'repmgr.conf.hbs', dest: `${d}/repmgr.conf` }, { project, vars })).plan.changes).toEqual([])
    expect(readdirSync(d)).toEqual(['repmgr.conf'])
  })
  it('does not replace a file with force=no', async () => {
    const d = tempDir()
    writeFileSync(`${d}/keep`, 'mine\n')
    expect((await onHost('copy', { content: 'theirs\n', dest: `${d}/keep`, force: 'no' })).plan.changes).toEqual([])
    expect(existsSync(`${d}/keep`) && readFileSync(`${d}/keep`, 'utf8')).toBe('mine\n')
  })
})
