// user and group against this machine (root): a throwaway account is created, converges to plan [],
// gets its hash and key, and is removed. Proves the useradd/usermod/chpasswd/ssh-keygen text really works.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runLocal } from './local-host.js'

const sh = (c: string) => spawnSync('sh', ['-c', c], { encoding: 'utf8' }).stdout.trim()
const root = process.getuid?.() === 0 && ['useradd', 'ssh-keygen', 'chpasswd'].every((c) => sh(`command -v ${c}`) !== '')
const name = `pgha${process.pid}`
const base = mkdtempSync(join(tmpdir(), 'pgha-user-'))
const home = join(base, name)
// A hash of nothing anyone knows; what matters is that it lands in /etc/shadow and nowhere else.
const hash = '$6$pghasalt$SJXIbVYVO.L1lAVfWQHmwoKrMDq3yjYxrLgkVVCyZvKxzR3AI1mOUWxeIJNTwaRTQhU29j/z8KXM2bSFwSmhR1'

afterAll(() => {
  if (root) spawnSync('sh', ['-c', `userdel ${name} 2>/dev/null; groupdel ${name}g 2>/dev/null; true`])
  rmSync(base, { recursive: true, force: true })
})

describe.runIf(root)('user and group on this host', () => {
  it('creates a group, then plans nothing', async () => {
    const first = await runLocal('group', { name: `${name}g` })
    expect(first.plan.changes.map((c) => c.description)).toEqual([`create group ${name}g`])
    expect(sh(`getent group ${name}g`)).toMatch(new RegExp(`^${name}g:x:\\d+:`))
    expect((await runLocal('group', { name: `${name}g` })).plan.changes).toEqual([])
  })

  const args = { name, group: `${name}g`, home, shell: '/bin/sh', password: hash, generate_ssh_key: 'yes', ssh_key_type: 'ed25519', ssh_key_file: '.ssh/id_ed25519' }

  it('creates the user with hash and key, never showing the hash', async () => {
    const { plan, result, host } = await runLocal('user', args)
    expect(plan.changes.map((c) => c.description)).toEqual([
      `create user ${name} (group ${name}g, home ${home}, shell /bin/sh)`,
      `set password of user ${name}`,
      `generate ed25519 SSH key ${home}/.ssh/id_ed25519`,
    ])
    expect(sh(`getent shadow ${name} | cut -d: -f2`)).toBe(hash)
    expect(sh(`id -gn ${name}`)).toBe(`${name}g`)
    expect(result.ssh_public_key).toMatch(/^ssh-ed25519 \S+ pgha-generated on /)
    expect(sh(`stat -c '%U %a' ${home}/.ssh ${home}/.ssh/id_ed25519`)).toBe(`${name} 700\n${name} 600`)
    const shown = JSON.stringify({ d: plan.changes.map((c) => c.description), commands: host.commands, result })
    expect(shown).not.toContain(hash)
  })

  it('plans nothing on the second run and still returns the public key', async () => {
    const { plan, result } = await runLocal('user', args)
    expect(plan.changes).toEqual([])
    expect(result.ssh_public_key).toBe(sh(`cat ${home}/.ssh/id_ed25519.pub`))
  })

  it('locks and unlocks the password and sets the expiry by day, as Ansible does, then plans nothing', async () => {
    const lock = await runLocal('user', { name, password_lock: true, expires: 1893456000.5 })
    expect(lock.plan.changes.map((c) => c.description)).toEqual([`update user ${name}: expires 2030-01-01, lock password`])
    expect(sh(`getent shadow ${name} | cut -d: -f2`)).toBe(`!${hash}`)
    expect(sh(`getent shadow ${name} | cut -d: -f8`)).toBe('21915')
    // The hash is compared without the lock's '!', so the same hash with the lock kept changes nothing.
    expect((await runLocal('user', { name, password: hash, password_lock: true, expires: 1893470000 })).plan.changes).toEqual([])
    const unlock = await runLocal('user', { name, password_lock: false, expires: -1 })
    expect(unlock.plan.changes.map((c) => c.description)).toEqual([`update user ${name}: expires never, unlock password`])
    expect(sh(`getent shadow ${name} | cut -d: -f2,8`)).toBe(`${hash}:`)
    expect((await runLocal('user', { name, password_lock: false, expires: -1 })).plan.changes).toEqual([])
  })

  it('sets the password ages (chage) only where /etc/shadow differs, as Ansible does', async () => {
    const set = await runLocal('user', { name, password_expire_min: 7, password_expire_max: 90 })
    expect(set.plan.changes.map((c) => c.description)).toEqual([`set password age of user ${name}: minimum 7 days, maximum 90 days`])
    expect(set.host.commands.filter((c) => c.startsWith('chage'))).toEqual([`chage -m 7 -M 90 -- ${name}`])
    expect(sh(`getent shadow ${name} | cut -d: -f4,5`)).toBe('7:90')
    expect((await runLocal('user', { name, password_expire_min: 7, password_expire_max: 90 })).plan.changes).toEqual([])
    const unlimited = await runLocal('user', { name, password_expire_min: 7, password_expire_max: -1 })
    expect(unlimited.plan.changes.map((c) => c.description)).toEqual([`set password age of user ${name}: maximum -1 days`])
    expect(sh(`getent shadow ${name} | cut -d: -f4,5`)).toBe('7:')
    expect((await runLocal('user', { name, password_expire_max: -1 })).plan.changes).toEqual([])
    const warn = await runLocal('user', { name, password_expire_min: 7, password_expire_warn: 14 })
    expect(warn.plan.changes.map((c) => c.description)).toEqual([`set password age of user ${name}: warning 14 days`])
    expect(sh(`getent shadow ${name} | cut -d: -f4,6`)).toBe('7:14')
    expect((await runLocal('user', { name, password_expire_warn: 14 })).plan.changes).toEqual([])
  })

  it('changes only what drifted, then removes the user and its home', async () => {
    const drift = await runLocal('user', { name, shell: '/bin/bash', groups: [`${name}g`] })
    expect(drift.plan.changes.map((c) => c.description)).toEqual([`update user ${name}: shell /bin/sh -> /bin/bash`])
    expect(sh(`getent passwd ${name} | cut -d: -f7`)).toBe('/bin/bash')
    const gone = await runLocal('user', { name, state: 'absent', remove: true })
    expect(gone.plan.changes.map((c) => c.description)).toEqual([`remove user ${name}`])
    expect(sh(`getent passwd ${name}`)).toBe('')
    expect(existsSync(home) && statSync(home).isDirectory()).toBe(false)
    const g = await runLocal('group', { name: `${name}g`, state: 'absent' })
    expect(g.plan.changes.map((c) => c.description)).toEqual([`remove group ${name}g`])
    expect(sh(`getent group ${name}g`)).toBe('')
  })
})
