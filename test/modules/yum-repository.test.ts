// yum_repository: the .repo file Ansible's module writes (a section rebuilt from the parameters, keys
// sorted, booleans 0/1, lists joined, other sections kept, the file removed once empty), against
// ansible-playbook with reposdir in a temp dir: the same changed status for every task, the same bytes,
// the same check-mode diff.
import { describe, expect, it } from 'vitest'
import yumRepository, { repoSection } from '../../src/modules/yum_repository.js'
import { parseIni, writeIni } from '../../src/modules/lib/ini-file.js'
import { bothSides, haveAnsible } from './ansible-differential.js'

const p = (o: Record<string, unknown>) => yumRepository.params.parse({ name: 'pgdg', description: 'PGDG', baseurl: 'https://x/', ...o })

describe('yum_repository sections', () => {
  it('writes sorted keys, booleans as 0/1 and lists joined as Ansible does', () => {
    const s = repoSection(p({ gpgcheck: 'yes', enabled: false, baseurl: ['https://a/', 'https://b/'], exclude: ['a*', 'b'], priority: 10 }))
    expect([...s]).toEqual([['baseurl', 'https://a/\nhttps://b/'], ['enabled', '0'], ['exclude', 'a* b'], ['gpgcheck', '1'], ['name', 'PGDG'], ['priority', '10']])
    expect(writeIni(new Map([['pgdg', s]]))).toBe('[pgdg]\nbaseurl = https://a/\n\thttps://b/\nenabled = 0\nexclude = a* b\ngpgcheck = 1\nname = PGDG\npriority = 10\n\n')
  })
  it('reads continuation lines and drops comments, as configparser', () => {
    expect(parseIni('# c\n[a]\nBaseURL=x\n  y\n; c\nname: A\n')).toEqual(new Map([['a', new Map([['baseurl', 'x\ny'], ['name', 'A']])]]))
  })
  it('refuses a line break in a value and a "]" in the id', () => {
    expect(() => repoSection(p({ description: 'PGDG\n[evil]' }))).toThrow(/line break/)
    expect(() => p({ baseurl: undefined })).toThrow(/baseurl/)
  })
})

describe.skipIf(!haveAnsible)('yum_repository as ansible-playbook writes it', () => {
  const task = (name: string, args: string): string => `    - name: ${name}\n      yum_repository: { reposdir: DIR, ${args} }\n`
  const pgdg = 'name: pgdg15, description: "PostgreSQL 15", baseurl: "https://download.postgresql.org/pub/repos/yum/15/redhat/rhel-7-x86_64", gpgcheck: true'
  it('the same changed status for every task and the same bytes', async () => {
    const tasks = [
      task('add', pgdg),
      task('again', pgdg),
      task('more', `${pgdg}, gpgkey: [file:///a, file:///b], enabled: false, exclude: [postgresql13*]`),
      task('second in file', 'name: pgdg-common, file: pgdg15, description: common, mirrorlist: "https://m/list", priority: 5'),
      task('own file', 'name: epel, description: EPEL, metalink: "https://mirrors/metalink?repo=epel-7", validate_certs: false'),
      task('remove first', 'name: pgdg15, state: absent'),
      task('remove all of epel', 'name: epel, state: absent'),
    ].join('')
    const { ansible, pgha } = await bothSides(tasks, { seed: { 'kept.repo': '[base]\nname=Base\nbaseurl=http://b/\n' } })
    expect(pgha.tasks.map((t) => [t.name, t.changed, t.failed, t.msg])).toEqual(ansible.tasks.map((t) => [t.name, t.changed, t.failed, t.msg]))
    expect(pgha.files).toEqual(ansible.files)
  }, 240_000)
  it('the same diff in check mode, and nothing written', async () => {
    const seed = { 'pgdg15.repo': '[pgdg15]\nname = old\nbaseurl = https://old/\n\n' }
    const { ansible, pgha } = await bothSides(task('update', pgdg), { seed, check: true })
    expect(pgha.tasks.map((t) => [t.changed, t.diff])).toEqual(ansible.tasks.map((t) => [t.changed, t.diff]))
    expect(pgha.files).toEqual(seed)
  }, 240_000)
})
