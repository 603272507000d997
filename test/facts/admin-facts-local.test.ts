// The read-only fact commands of the admin modules, run on this Debian machine: what they return is what
// the files and tools here say (apt sources, locale.gen, the home directory, systemd's absence).
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { describe, expect, it } from 'vitest'
import { aptSourcesFact, homeFact, localeStateFact, serviceListFact } from '../../src/facts/index.js'
import { localFact } from '../modules/local-host.js'

describe('admin facts on this machine', () => {
  it('apt_sources reads sources.list and every sources.list.d/*.list byte for byte', async () => {
    const paths = ['/etc/apt/sources.list', ...(existsSync('/etc/apt/sources.list.d') ? readdirSync('/etc/apt/sources.list.d').filter((f) => f.endsWith('.list')).sort().map((f) => `/etc/apt/sources.list.d/${f}`) : [])]
    const expected = paths.filter((p) => existsSync(p)).map((path) => ({ path, text: readFileSync(path, 'utf8') }))
    expect(await localFact(aptSourcesFact, {})).toEqual(expected)
  })
  it('locale_state reads /etc/locale.gen as it is', async () => {
    const s = await localFact(localeStateFact, {})
    if (existsSync('/var/lib/locales/supported.d')) expect(s.mode).toBe('ubuntu')
    else if (existsSync('/etc/locale.gen')) expect(s).toMatchObject({ mode: 'debian', available: readFileSync('/etc/locale.gen', 'utf8') })
    else expect(s.mode).toBe('none')
    expect(s.installed).toContain('C')
  })
  it('home is the user\'s home directory', async () => {
    expect(await localFact(homeFact, {})).toBe(process.env.HOME ?? homedir())
  })
  it('service_list is empty where systemd is not PID 1', async () => {
    const systemd = readFileSync('/proc/1/comm', 'utf8').includes('systemd')
    const services = await localFact(serviceListFact, {})
    if (!systemd) expect(services).toEqual({})
    else expect(Object.keys(services).length).toBeGreaterThan(0)
  })
})
