// ini_file run by ansible-playbook (community.general) and by pgha on the same local files: each task's
// changed status and the bytes of every file left behind must agree, over the cases do_ini distinguishes
// (a commented-out option reused, a new section, options before the first section, exclusive and not,
// several values, allow_no_value, removal of an option, of some values, of a section, a missing final newline).
import { describe, expect, it } from 'vitest'
import { bothSides, haveAnsible, statuses } from './ansible-differential.js'

const SEED = {
  'app.ini': '; global comment\ntop = 1\n\n[main]\n# port = 8080\nhost = a\n\n[drinks]\nbeverage = tea\nbeverage = coffee\n# the end\n\n[gone]\nx = 1\n',
  'nonl.ini': '[s]\na = 1',
}

const TASKS = `
    - name: a commented-out option is reused
      ini_file: { path: DIR/app.ini, section: main, option: port, value: "9090" }
    - name: the same again is unchanged
      ini_file: { path: DIR/app.ini, section: main, option: port, value: "9090" }
    - name: an option of a new section
      ini_file: { path: DIR/app.ini, section: new, option: k, value: v, no_extra_spaces: true }
    - name: an option before the first section
      ini_file: { path: DIR/app.ini, option: top, value: "2" }
    - name: several values, exclusive
      ini_file: { path: DIR/app.ini, section: drinks, option: beverage, values: [coke, tea] }
    - name: one more value, not exclusive
      ini_file: { path: DIR/app.ini, section: drinks, option: beverage, value: water, exclusive: false }
    - name: one value removed, not exclusive
      ini_file: { path: DIR/app.ini, section: drinks, option: beverage, value: coke, state: absent, exclusive: false }
    - name: an option without a value
      ini_file: { path: DIR/app.ini, section: main, option: debug, allow_no_value: true }
    - name: an option removed
      ini_file: { path: DIR/app.ini, section: main, option: host, state: absent }
    - name: a section removed
      ini_file: { path: DIR/app.ini, section: gone, state: absent }
    - name: a missing option removed is unchanged
      ini_file: { path: DIR/app.ini, section: main, option: nothere, state: absent }
    - name: a file without its final newline
      ini_file: { path: DIR/nonl.ini, section: s, option: a, value: "1" }
    - name: a new file
      ini_file: { path: DIR/fresh.ini, section: s, option: a, value: b, mode: "0600" }
    - name: a missing file with create false
      ini_file: { path: DIR/missing.ini, section: s, option: a, value: b, create: false }
`

describe.skipIf(!haveAnsible)('ini_file, as community.general writes it', () => {
  it('reports the same status per task and leaves the same bytes', async () => {
    const { ansible, pgha } = await bothSides(TASKS, { seed: SEED })
    const status = (s: typeof ansible) => statuses(s)
    expect(status(pgha)).toEqual(status(ansible))
    expect(status(ansible).filter((s) => s.endsWith(': ok'))).toEqual(['the same again is unchanged: ok', 'a missing option removed is unchanged: ok'])
    expect(status(ansible).at(-1)).toBe('a missing file with create false: failed')
    expect(pgha.files['app.ini']).toContain('[new]\nk=v\n')
    expect(pgha.files).toEqual(ansible.files)
  }, 240_000)
})
