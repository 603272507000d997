// The become password goes to sudo only: when sudo does not ask for it (root, NOPASSWD), it must not be
// left on the command's stdin, where `cat` printed it (and any program could have stored it).
import { existsSync } from 'node:fs'
import { userInfo } from 'node:os'
import { describe, expect, it } from 'vitest'
import { LocalTransport } from '../../src/transport/index.js'

const haveSudo = existsSync('/usr/bin/sudo') && userInfo().uid === 0

describe.skipIf(!haveSudo)('LocalTransport become with a password sudo does not ask for', () => {
  const t = new LocalTransport({ host: 'localhost' })
  const password = `pw-${process.pid}-${Date.now()}`

  it("leaves the command's stdin empty, or exactly what the task gave", async () => {
    expect(await t.exec('cat; id -un', { become: true, user: 'nobody', password })).toEqual({ rc: 0, stdout: 'nobody\n', stderr: '' })
    expect((await t.exec('cat', { become: true, user: 'nobody', password, stdin: 'given\n' })).stdout).toBe('given\n')
  })
})
