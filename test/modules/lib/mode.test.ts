import { describe, expect, it } from 'vitest'
import { resolveMode } from '../../../src/modules/lib/mode.js'
import { bool, modeParam } from '../../../src/modules/lib/params.js'

describe('resolveMode', () => {
  it.each([
    ['0640', '0755', false, '0640'],
    ['u=rw,g=r,o=r', '0777', false, '0644'],
    ['g-w,o-rwx', '0775', true, '0750'],
    ['a+X', '0644', false, '0644'],
    ['a+X', '0600', true, '0711'],
    ['u+s', '0755', false, '4755'],
    ['o+t', '0777', true, '1777'],
    ['u=rwx', undefined, true, '0755'],
    ['go=', undefined, false, '0600'],
  ])('%s on %s (dir %s) is %s', (wanted, current, isDir, expected) => {
    expect(resolveMode(wanted, current, isDir)).toBe(expected)
  })
})

describe('mode and boolean params', () => {
  it('reads a number as the mode it is, as Ansible does (YAML 1.1 reads 0644 as 420), and pads strings', () => {
    expect(modeParam.parse(0o644)).toBe('0644')
    expect(modeParam.parse(493)).toBe('0755')
    expect(modeParam.parse(644)).toBe('1204') // `mode: 644` without the 0: decimal, as in Ansible
    expect(modeParam.parse(0)).toBe('0000')
    expect(modeParam.parse('600')).toBe('0600')
    expect(modeParam.parse('02775')).toBe('2775') // a rendered '02775' is octal, as Ansible's int(mode, 8) reads it
    expect(modeParam.parse('00644')).toBe('0644')
    expect(modeParam.parse('u=rw,g=r')).toBe('u=rw,g=r')
  })
  it('refuses numbers and strings that are not modes', () => {
    expect(modeParam.safeParse(0o10000).success).toBe(false)
    expect(modeParam.safeParse(-1).success).toBe(false)
    expect(modeParam.safeParse('0999').success).toBe(false)
    expect(modeParam.safeParse('017777').success).toBe(false)
    expect(modeParam.safeParse('rw-r--r--').success).toBe(false)
  })
  it('accepts yes/no spellings', () => {
    const b = bool(false, 'x')
    expect([b.parse('yes'), b.parse('No'), b.parse(true), b.parse(undefined)]).toEqual([true, false, true, false])
    expect(b.safeParse('maybe').success).toBe(false)
  })
})
