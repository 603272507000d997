// systemd facts' parsers on output captured from systemd 219 (CentOS 7) and 252 (Debian 12); there is no
// systemd on the unit-test box, the lab's e2e runs the commands for real.
import { describe, expect, it } from 'vitest'
import { systemdStaleFact, systemdUnitFact, unitName } from '../../src/facts/index.js'
import { readUnits } from '../../src/facts/service.js'

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

describe('systemd_unit fact, many units at once', () => {
  // Captured from systemd 252 (the lab's Debian 12): ssh, a missing unit, the ssh alias sshd, a timer.
  const block = (load: string, active: string, sub: string, file: string) =>
    `LoadState=${load}\nActiveState=${active}\nSubState=${sub}\nUnitFileState=${file}\nNeedDaemonReload=no\n`
  const four = [block('loaded', 'active', 'running', 'enabled'), block('not-found', 'inactive', 'dead', ''), block('loaded', 'active', 'running', 'enabled'), block('not-found', 'inactive', 'dead', '')].join('\n')
  const runner = (stdout: string, rc = 0) => {
    const commands: string[] = []
    return { commands, run: async (command: string) => (commands.push(command), { stdout, stderr: '', rc }) }
  }

  it('reads every unit in one systemctl show, each as the single read would', async () => {
    const names = ['ssh', 'no-such', 'sshd.service', 'cron.timer']
    const r = runner(four)
    const states = await readUnits(names.map((name) => ({ name })), r.run)
    expect(r.commands).toEqual([`systemctl show -p LoadState -p ActiveState -p SubState -p UnitFileState -p NeedDaemonReload -- ssh.service no-such.service sshd.service cron.timer`])
    for (const [i, name] of names.entries()) {
      expect(states[i]).toEqual(systemdUnitFact.parse(four.split('\n\n')[i], { name }, 0))
    }
    expect(states.map((s) => s?.loadState)).toEqual(['loaded', 'not-found', 'loaded', 'not-found'])
  })

  it('asks once for a unit named twice', async () => {
    const r = runner(block('loaded', 'active', 'running', 'enabled'))
    const states = await readUnits([{ name: 'ssh' }, { name: 'ssh.service' }], r.run)
    expect(r.commands[0]).toMatch(/ -- ssh\.service$/)
    expect(states[0]).toEqual(states[1])
    expect(states[0]?.activeState).toBe('active')
  })

  it('leaves every unit to the single read when the blocks do not match the units (systemd refused a name)', async () => {
    // systemctl escapes an invalid name, prints nothing for it, and still exits 0.
    expect(await readUnits([{ name: 'bad name' }, { name: 'ssh' }], runner(block('loaded', 'active', 'running', 'enabled')).run)).toEqual([undefined, undefined])
    expect(await readUnits([{ name: 'ssh' }], runner('', 1).run)).toEqual([undefined])
  })

  it('never asks about a name systemctl could read as a pattern', async () => {
    const r = runner(block('loaded', 'active', 'running', 'enabled'))
    const states = await readUnits([{ name: 'post*' }, { name: 'ssh' }], r.run)
    expect(r.commands[0]).not.toContain('post*')
    expect(states[0]).toBeUndefined()
    expect(states[1]?.loadState).toBe('loaded')
  })
})

describe('systemd_stale fact', () => {
  it('lists the units whose blocks say NeedDaemonReload=yes', () => {
    const out = 'Id=ssh.service\nNeedDaemonReload=no\n\nNeedDaemonReload=yes\nId=repmgrd.service\n\nId=pgserver.service\nNeedDaemonReload=yes\n'
    expect(systemdStaleFact.parse(out, {}, 0)).toEqual(['repmgrd.service', 'pgserver.service'])
  })
})
