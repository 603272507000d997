// The values the system modules pass to commands (kernel parameter, host and time zone names, getent
// databases and keys): accepted as real playbooks write them, refused when a command would read them as
// an option or a line would split on them. A literal refused value is an input error at its file:line:col
// before any host is contacted; a rendered one fails its task on the host that rendered it.
import { describe, expect, it } from 'vitest'
import { ConfigErrors } from '../../src/errors.js'
import { isHostName, isLookupKey, isNssName, isSysctlName, isTimezoneName } from '../../src/modules/lib/value-kinds.js'
import { localHosts, play, project } from '../engine/harness.js'

const kinds = {
  sysctl: [isSysctlName, ['net.ipv4.ip_forward', 'vm.swappiness', 'net/ipv4/conf/eth0.1/forwarding', 'kernel.core_pattern'], ['-p', '--load=/tmp/x', 'a b', 'a\nb', 'a=b', '']],
  hostname: [isHostName, ['db1', 'db1.example.com', 'node-2', 'a_b'], ['-F/etc/shadow', 'a b', 'a\nb', 'a.', '.a', 'a..b', 'x'.repeat(254)]],
  timezone: [isTimezoneName, ['Europe/Paris', 'Etc/GMT+5', 'UTC', 'America/Argentina/Buenos_Aires'], ['-u', '../../etc/shadow', 'Europe/../x', 'a b', 'a\nb', '/Europe/Paris', '']],
  nss: [isNssName, ['passwd', 'ahostsv4', 'files'], ['-s', 'passwd;id', 'Passwd', '']],
  key: [isLookupKey, ['root', 'postgres', '10.0.0.1', 'a b'], ['-s', '--service=x', 'a\nb', '']],
} as const

describe.each(Object.entries(kinds))('%s', (_kind, [check, good, bad]) => {
  it.each(good.map((v) => [v]))('accepts %j', (v) => expect(check(v)).toBeUndefined())
  it.each(bad.map((v) => [v]))('refuses %j', (v) => expect(check(v)).toEqual(expect.any(String)))
})

describe('hostile values in a playbook', () => {
  it('a literal one is an input error at its position, and no task runs', async () => {
    const p = project(localHosts(['h1']), {
      'site.yml': play(`    - community.general.timezone: { name: "-u" }\n    - ansible.posix.sysctl: { name: "vm.x\\nkernel.y", value: "1", sysctl_file: /nonexistent/x }\n`),
    })
    const err = await p.run().catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ConfigErrors)
    expect((err as ConfigErrors).errors.map((e) => `${e.loc?.line}:${e.loc?.col}: ${e.message}`)).toEqual([
      expect.stringMatching(/^6:43: parameter 'name' of module 'timezone': "-u" is not a time zone name/),
      expect.stringMatching(/^7:37: parameter 'name' of module 'sysctl': "vm.x\\nkernel.y" is not a kernel parameter name/),
    ])
  })
  it('a rendered one fails its task, naming the parameter', async () => {
    const p = project(localHosts(['h1']), { 'site.yml': play(`    - hostname: { name: "{{ evil }}" }\n      check_mode: true\n`, '{ evil: "-F/etc/shadow" }') })
    const r = await p.run()
    expect(r.exitCode).toBe(2)
    const failed = r.events.flatMap((e) => (e.type === 'host:result' && e.status === 'failed' ? [String(e.result.msg)] : []))
    expect(failed).toEqual([expect.stringMatching(/name: "-F\/etc\/shadow" is not a host name/)])
  })
})
