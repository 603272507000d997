// sysctl against a temp sysctl file on this machine (reload off, nothing set live: this machine's kernel
// settings are never changed): the file Ansible would write, idempotence, state=absent, check mode, and a
// hostile name refused before any command.
import { readFileSync, writeFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { onHost, planned, tempDir } from './file-host.js'
import { getModule } from '../../src/modules/index.js'

describe('sysctl with a temp sysctl_file', () => {
  it('normalises the file and sets the key once, keeping comments; then nothing to do', async () => {
    const d = tempDir()
    const file = `${d}/99-test.conf`
    writeFileSync(file, '# kept\n  vm.swappiness = 60\nvm.swappiness=10\nkernel.ostype = Linux\n')
    const args = { name: 'vm.swappiness', value: 5, sysctl_file: file, reload: false }
    const first = await onHost('sysctl', args)
    expect(planned(first)).toEqual([`set vm.swappiness in ${file}`])
    expect(readFileSync(file, 'utf8')).toBe('# kept\nvm.swappiness=5\nkernel.ostype=Linux\n')
    expect((await onHost('sysctl', args)).plan.changes).toEqual([])
  })
  it('appends to a missing file, removes with state=absent, and leaves the file in check mode', async () => {
    const d = tempDir()
    const file = `${d}/new.conf`
    await onHost('sysctl', { key: 'net.ipv4.ip_forward', val: 'yes', sysctl_file: file, reload: 'no' })
    expect(readFileSync(file, 'utf8')).toBe('net.ipv4.ip_forward=1\n')
    const check = await onHost('sysctl', { name: 'net.ipv4.ip_forward', state: 'absent', sysctl_file: file, reload: false }, { check: true })
    expect(check.plan.changes[0].after).toBe('')
    expect(readFileSync(file, 'utf8')).toBe('net.ipv4.ip_forward=1\n')
    await onHost('sysctl', { name: 'net.ipv4.ip_forward', state: 'absent', sysctl_file: file, reload: false })
    expect(readFileSync(file, 'utf8')).toBe('')
  })
  it('plans sysctl -w in check mode when the live value differs, and sysctl -p when reload is on', async () => {
    const d = tempDir()
    const file = `${d}/s.conf`
    writeFileSync(file, 'kernel.ostype=Other\n')
    const r = await onHost('sysctl', { name: 'kernel.ostype', value: 'Other', sysctl_file: file, sysctl_set: true }, { check: true })
    expect(planned(r)).toEqual(['set kernel.ostype = Other (live: Linux)', `load ${file} (sysctl -p)`])
    expect(r.plan.changes.map((c) => (c.data as { command: string }).command)).toEqual([
      expect.stringContaining("sysctl -w -- kernel.ostype=Other"),
      expect.stringContaining(`sysctl -p -- ${file}`),
    ])
  })
  it('refuses a name that is an option or holds a line break, and a value with a line break', () => {
    const parse = (p: Record<string, unknown>) => getModule('ansible.posix.sysctl')!.params.safeParse(p)
    expect(parse({ name: '-p/etc/evil', value: '1' }).success).toBe(false)
    expect(parse({ name: 'vm.swappiness\nkernel.x', value: '1' }).success).toBe(false)
    expect(parse({ name: 'vm.swappiness', value: '1\nkernel.modprobe=/tmp/x' }).success).toBe(false)
    expect(parse({ name: 'vm.swappiness' }).error?.issues[0].message).toBe('value is required (and not blank) with state=present')
  })
})
