// The user and group facts, run for real on this machine (root and nobody always exist) and on edge output.
import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { groupFact, userFact } from '../../src/facts/index.js'
import { readUsers } from '../../src/facts/user.js'
import { LocalHost } from '../modules/local-host.js'
import { localFact } from '../modules/local-host.js'

describe('user fact', () => {
  it('reads root with its primary group, and a missing user', async () => {
    const root = await localFact(userFact, { name: 'root' })
    expect(root).toMatchObject({ exists: true, uid: 0, gid: 0, group: 'root', home: '/root' })
    expect(root.groups).not.toContain('root')
    expect(await localFact(userFact, { name: 'no-such-user-pgha' })).toEqual({ name: 'no-such-user-pgha', exists: false })
  })

  it("reads root's shadow entry field by field, as getent shows it (the tests run as root)", async () => {
    const f = execFileSync('getent', ['shadow', 'root'], { encoding: 'utf8' }).trim().split(':')
    const days = (v: string) => (v === '' ? -1 : Number(v))
    expect(await localFact(userFact, { name: 'root' })).toMatchObject({
      passwordHash: f[1] || undefined, passwordMinDays: days(f[3]), passwordMaxDays: days(f[4]), passwordWarnDays: days(f[5]), expireDays: days(f[7] ?? ''),
    })
  })

  it('reads many users in one command, each exactly as the single read does', async () => {
    const host = new LocalHost()
    const commands: string[] = []
    const names = ['root', 'nobody', 'no-such-user-pgha', 'daemon', 'root']
    const many = await readUsers(names.map((name) => ({ name })), (c) => (commands.push(c), host.exec(c)))
    expect(commands).toHaveLength(1)
    for (const [i, name] of names.entries()) expect(many[i]).toEqual(await localFact(userFact, { name }))
    expect(many.map((u) => u?.exists)).toEqual([true, true, false, true, true])
  })

  it('leaves the users to the single read when the output came back short', async () => {
    expect(await readUsers([{ name: 'root' }], async () => ({ stdout: 'root:x:0:0:root:/root:/bin/sh\n', stderr: '', rc: 0 }))).toEqual([undefined])
  })

  it('does not mistake a longer name for the asked one', () => {
    expect(userFact.parse('postgres2:x:1002:1002::/home/postgres2:/bin/bash\n', { name: 'postgres' }, 0).exists).toBe(false)
  })
})

describe('group fact', () => {
  it('reads a group with its gid, and a missing one', async () => {
    expect(await localFact(groupFact, { name: 'root' })).toMatchObject({ exists: true, gid: 0 })
    expect(await localFact(groupFact, { name: 'no-such-group-pgha' })).toEqual({ name: 'no-such-group-pgha', exists: false })
  })
})
