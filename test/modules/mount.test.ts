// mount's fstab edits on real files through LocalTransport (a temp fstab given as `fstab`, states that only
// edit it): the line Ansible would write, spaces as \040, a second run plans nothing, check mode and --diff
// exact with the file untouched, and fields fstab cannot hold refused at load time.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { onHost, planned, tempDir } from './file-host.js'
import { problems } from '../playbook/load-text.js'
import { FactCache, fileFact, mountFact } from '../../src/facts/index.js'
import { FakeTransport } from '../../src/transport/fake.js'
import { runModule } from './harness.js'

const HEAD = '# /etc/fstab: static file system information.\nUUID=0a1b / ext4 errors=remount-ro 0 1\n'

describe('mount on a real fstab', () => {
  it('adds the line, escaping a space in the mount point, then plans nothing', async () => {
    const fstab = `${tempDir()}/fstab`
    writeFileSync(fstab, HEAD)
    const args = { path: '/srv/pg data', src: 'LABEL=pgdata', fstype: 'xfs', opts: 'noatime', state: 'present', fstab }
    const check = await onHost('ansible.posix.mount', args, { check: true })
    expect(planned(check)).toEqual([`set /srv/pg data in ${fstab}`])
    expect(check.plan.changes[0].after).toBe(`${HEAD}LABEL=pgdata /srv/pg\\040data xfs noatime 0 0\n`)
    expect(readFileSync(fstab, 'utf8')).toBe(HEAD)
    await onHost('mount', args)
    expect(readFileSync(fstab, 'utf8')).toBe(`${HEAD}LABEL=pgdata /srv/pg\\040data xfs noatime 0 0\n`)
    expect(planned(await onHost('mount', args))).toEqual([])
  })

  it('rewrites a differing line in place with single spaces, and boot: false adds noauto', async () => {
    const fstab = `${tempDir()}/fstab`
    writeFileSync(fstab, `${HEAD}/dev/sdb1\t/srv/data\text4\tdefaults\t0\t2  # data disk\n/dev/sdc1 /srv/other ext4 defaults\n`)
    await onHost('mount', { path: '/srv/data', src: '/dev/sdb1', fstype: 'ext4', passno: 2, boot: false, state: 'present', fstab })
    // A line without dump and passno is rewritten too when it is the one asked for (Ansible compares 0 with '0').
    const r = await onHost('mount', { path: '/srv/other', src: '/dev/sdc1', fstype: 'ext4', state: 'present', fstab })
    expect(r.plan.changes[0].before).toContain('/dev/sdc1 /srv/other ext4 defaults\n')
    expect(readFileSync(fstab, 'utf8')).toBe(`${HEAD}/dev/sdb1 /srv/data ext4 defaults,noauto 0 2\n/dev/sdc1 /srv/other ext4 defaults 0 0\n`)
  })

  it('absent_from_fstab removes the line and leaves the rest; a missing fstab is created by present', async () => {
    const dir = tempDir()
    const fstab = `${dir}/fstab`
    writeFileSync(fstab, `${HEAD}/dev/sdb1 /srv/data ext4 defaults 0 2\n`)
    const r = await onHost('mount', { path: '/srv/data', state: 'absent_from_fstab', fstab })
    expect(r.plan.changes.map((c) => [c.before, c.after])).toEqual([[`${HEAD}/dev/sdb1 /srv/data ext4 defaults 0 2\n`, HEAD]])
    expect(readFileSync(fstab, 'utf8')).toBe(HEAD)
    expect(planned(await onHost('mount', { path: '/srv/data', state: 'absent_from_fstab', fstab }))).toEqual([])
    const fresh = `${dir}/new-fstab`
    await onHost('mount', { path: '/srv/x', src: 'srv:/x', fstype: 'nfs4', state: 'present', fstab: fresh })
    expect(existsSync(fresh) && readFileSync(fresh, 'utf8')).toBe('srv:/x /srv/x nfs4 defaults 0 0\n')
  })

  it('refuses what fstab cannot hold and a mounted state without src or fstype, at load time', () => {
    const play = (args: string) => `- hosts: all\n  tasks:\n    - ansible.posix.mount: ${args}\n`
    expect(problems(play('{ path: /srv/a, src: "/dev/sdb1\\tx", fstype: ext4, state: mounted }'))[0]).toMatch(/^3:49: parameter 'src' of module 'mount': src cannot hold a tab, a line break or NUL/)
    expect(problems(play('{ path: /srv/a, src: /dev/sdb1, fstype: "ext4 -o", state: mounted }'))[0]).toMatch(/parameter 'fstype' of module 'mount': fstype is a file system type/)
    expect(problems(play('{ path: srv/a, state: unmounted }'))[0]).toMatch(/path is an absolute path/)
    expect(problems(play('{ name: /srv/a, src: /dev/sdb1, state: mounted }'))).toEqual(["3:28: parameter 'fstype' of module 'mount': state is mounted but all of the following are missing: fstype"])
  })

  it('puts the old fstab back when the mount fails', async () => {
    const t = new FakeTransport('node1').respond(/mount -- \/srv\/data/, { rc: 32, stderr: 'mount: /srv/data: special device /dev/sdz9 does not exist.' })
    const facts = new FactCache()
    facts.seed(fileFact, { path: '/etc/fstab', follow: true, content: 4194304 }, { path: '/etc/fstab', exists: true, type: 'file', content: HEAD, size: HEAD.length, mode: '0644' }, '')
    facts.seed(mountFact, { path: '/srv/data' }, null, '')
    await expect(runModule('mount', { path: '/srv/data', src: '/dev/sdz9', fstype: 'ext4', state: 'mounted' }, t, { facts })).rejects.toThrow(/special device/)
    const writes = t.calls.filter((c) => c.kind === 'write').map((c) => c.content)
    expect(writes).toEqual([`${HEAD}/dev/sdz9 /srv/data ext4 defaults 0 0\n`, HEAD])
  })
})
