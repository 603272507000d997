// `{% break %}`, `{% continue %}` and `{% do %}` belong to Jinja2 extensions Ansible loads only when
// ansible.cfg lists them (jinja2_extensions): a playbook whose ansible.cfg does not is refused while
// loading, at the tag's file:line:col, as Ansible refuses the template; one whose ansible.cfg does loads.
// (jinja-ansible.test.ts compares what the tags render with Ansible's, extensions enabled on both sides.)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ConfigErrors } from '../../src/errors.js'
import { loadPlaybook } from '../../src/playbook/index.js'
import { renderTemplateFile, setJinjaExtensions } from '../../src/vars/index.js'
import { testModules } from '../playbook/registry.js'

const TASKS = [
  '- hosts: all',
  '  gather_facts: false',
  '  tasks:',
  '    - debug:',
  '        msg: "{% for x in [1, 2] %}{% if x == 2 %}{% break %}{% endif %}{{ x }}{% endfor %}"',
  '    - debug:',
  '        msg: "{% set l = [] %}{% do l.append(1) %}{{ l }}"',
  '',
].join('\n')

/** The column of `marker` on `line` of TASKS. */
const colOf = (line: number, marker: string): number => TASKS.split('\n')[line - 1].indexOf(marker) + 1

/** A playbook of TASKS, beside an ansible.cfg of `cfg` when given. */
function playbook(cfg?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'pgha-jinja-ext-'))
  dirs.push(dir)
  writeFileSync(join(dir, 'site.yml'), TASKS)
  if (cfg !== undefined) writeFileSync(join(dir, 'ansible.cfg'), cfg)
  return join(dir, 'site.yml')
}

const dirs: string[] = []
afterEach(() => {
  setJinjaExtensions([])
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

describe('Jinja2 extensions', () => {
  it('are off by default: break and do are refused at their file:line:col, naming the ansible.cfg setting', () => {
    const path = playbook()
    let err: unknown
    try {
      loadPlaybook(path, testModules)
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(ConfigErrors)
    const errors = (err as ConfigErrors).errors.map((e) => ({ message: e.message, line: e.loc?.line, col: e.loc?.col }))
    expect(errors).toEqual([
      { message: expect.stringMatching(/'\{% break %\}' needs the Jinja2 extension jinja2\.ext\.loopcontrols, .*jinja2_extensions = jinja2\.ext\.loopcontrols$/), line: 5, col: colOf(5, 'break') },
      { message: expect.stringMatching(/'\{% do %\}' needs the Jinja2 extension jinja2\.ext\.do/), line: 7, col: colOf(7, 'do l') },
    ])
  })

  it("are on for a playbook whose ansible.cfg lists them, and off again for one whose ansible.cfg does not", () => {
    const book = loadPlaybook(playbook('[defaults]\njinja2_extensions = jinja2.ext.do, jinja2.ext.loopcontrols\n'), testModules)
    expect(book.plays[0].tasks).toHaveLength(2)
    expect(renderTemplateFile('{% for x in [1, 2, 3] %}{% if x == 2 %}{% continue %}{% endif %}{{ x }}{% endfor %}', {}, 'x.j2')).toBe('13')
    expect(() => loadPlaybook(playbook('[defaults]\n'), testModules)).toThrow(ConfigErrors)
  })

  it('ANSIBLE_JINJA2_EXTENSIONS enables them as Ansible reads it', () => {
    process.env.ANSIBLE_JINJA2_EXTENSIONS = 'jinja2.ext.loopcontrols,jinja2.ext.do'
    try {
      expect(loadPlaybook(playbook(), testModules).plays[0].tasks).toHaveLength(2)
    } finally {
      delete process.env.ANSIBLE_JINJA2_EXTENSIONS
    }
  })
})
