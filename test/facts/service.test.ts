// systemd facts' parsers on output captured from systemd 219 (CentOS 7) and 252 (Debian 12); there is no
// systemd on the unit-test box, the lab's e2e runs the commands for real.
import { describe, expect, it } from 'vitest'
import { systemdStaleFact, systemdUnitFact, unitName } from '../../src/facts/index.js'

describe('systemd_unit fact', () => {
  it('names services without a suffix and keeps other unit types', () => {
    expect(unitName('pgserver')).toBe('pgserver.service')
    expect(unitName('postgresql@15-main')).toBe('postgresql@15-main.service')
    expect(unitName('repmgrd.timer')).toBe('repmgrd.timer')
    expect(systemdUnitFact.command({ name: "it's" })).toBe(`systemctl show -p LoadState -p ActiveState -p SubState -p UnitFileState -p NeedDaemonReload -- 'it'\\''s.service'`)
    // After --, a name systemctl would otherwise read as an option (-H: run on another host) is only a unit.
    expect(systemdUnitFact.command({ name: '-H' })).toMatch(/ -- -H\.service$/)
  })

  it('reads a running unit, whatever order systemd prints the properties in', () => {
    const out = 'NeedDaemonReload=yes\nUnitFileState=enabled\nLoadState=loaded\nActiveState=active\nSubState=running\n'
    expect(systemdUnitFact.parse(out, { name: 'pgserver' }, 0)).toEqual({
      unit: 'pgserver.service', loadState: 'loaded', activeState: 'active', subState: 'running', unitFileState: 'enabled', needDaemonReload: true,
    })
  })

  it('reads a missing unit as not-found (systemd 219 prints an empty UnitFileState)', () => {
    const out = 'LoadState=not-found\nActiveState=inactive\nSubState=dead\nUnitFileState=\nNeedDaemonReload=no\n'
    expect(systemdUnitFact.parse(out, { name: 'pgserver' }, 0)).toMatchObject({ loadState: 'not-found', unitFileState: '', needDaemonReload: false })
  })

  it('fails clearly when systemctl cannot answer', () => {
    expect(() => systemdUnitFact.parse('', { name: 'pgserver' }, 1)).toThrow('systemctl show pgserver.service failed (rc 1)')
  })
})

describe('systemd_stale fact', () => {
  it('lists the units whose blocks say NeedDaemonReload=yes', () => {
    const out = 'Id=ssh.service\nNeedDaemonReload=no\n\nNeedDaemonReload=yes\nId=repmgrd.service\n\nId=pgserver.service\nNeedDaemonReload=yes\n'
    expect(systemdStaleFact.parse(out, {}, 0)).toEqual(['repmgrd.service', 'pgserver.service'])
  })
})
