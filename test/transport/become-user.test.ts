// Whom a command runs as, the one rule both transports and fact gathering follow: becoming the user the
// connection already runs as needs no sudo (and shares the login user's shell and gathered facts).
import { userInfo } from 'node:os'
import { describe, expect, it } from 'vitest'
import { becomeUserOf, loginUserOf } from '../../src/transport/become-user.js'

describe('becomeUserOf', () => {
  it('is the become user, root by default, or none without become', () => {
    expect(becomeUserOf({ become: false, user: 'postgres' }, 'admin')).toBe('')
    expect(becomeUserOf({ become: true }, 'admin')).toBe('root')
    expect(becomeUserOf({ become: true, user: 'postgres' }, 'admin')).toBe('postgres')
  })

  it('is none when becoming the login user', () => {
    expect(becomeUserOf({ become: true, user: 'admin' }, 'admin')).toBe('')
    expect(becomeUserOf({ become: true }, 'root')).toBe('')
  })

  it('is the user asked for when no login user is given', () => {
    expect(becomeUserOf({ become: true })).toBe('root')
    expect(becomeUserOf({ become: false })).toBe('')
  })
})

describe('loginUserOf', () => {
  it("is ansible_user over SSH, and whoever runs pgha for a local connection, whatever ansible_user says", () => {
    expect(loginUserOf({ connection: 'ssh', user: 'admin' })).toBe('admin')
    expect(loginUserOf({ connection: 'local', user: 'admin' })).toBe(userInfo().username)
  })
})
