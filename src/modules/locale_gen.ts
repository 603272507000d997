// locale_gen (community.general): a locale compiled or not, as the collection's module does it: on Debian
// the locale's line of /etc/locale.gen is uncommented (or commented) and locale-gen runs; on Ubuntu
// (/var/lib/locales/supported.d) `locale-gen NAME`, or the name dropped from supported.d/local and
// `locale-gen --purge`. A locale the system does not offer is an error; `locale -a` says what is there.
import { z } from 'zod'
import { PghaError } from '../errors.js'
import { fileFact, localeStateFact } from '../facts/index.js'
import { commandLine, shq } from '../shell/index.js'
import { defineModule, type Change } from './types.js'
import { diffText } from './lib/file-plan.js'

const params = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9_.@-]+$/, 'a locale name is letters, digits and "_.@-", e.g. de_CH.UTF-8').describe('The locale, e.g. de_CH.UTF-8.'),
    state: z.enum(['present', 'absent']).default('present').describe('Whether the locale should be compiled.'),
  })
  .strict()

const NORMAL: Record<string, string> = {
  '.utf8': '.UTF-8', '.eucjp': '.EUC-JP', '.iso885915': '.ISO-8859-15', '.cp1251': '.CP1251', '.koi8r': '.KOI8-R',
  '.armscii8': '.ARMSCII-8', '.euckr': '.EUC-KR', '.gbk': '.GBK', '.gb18030': '.GB18030', '.euctw': '.EUC-TW',
}

/** `locale -a` spells encodings its own way (de_CH.utf8): compared as Ansible's fix_case does. */
export const fixCase = (name: string): string => Object.entries(NORMAL).reduce((n, [s, r]) => n.split(s).join(r), name)

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** Whether the system offers the locale (a line of locale.gen, commented or not; a line of SUPPORTED on Ubuntu). */
export function isAvailable(list: string, name: string, ubuntu: boolean): boolean {
  const re = ubuntu ? /^(\S+_\S+) (\S+)\s*$/ : /^#?\s*(\S+_\S+) (\S+)\s*$/
  return list.split('\n').some((l) => re.exec(l)?.[1] === name)
}

/** /etc/locale.gen with the locale's line uncommented (enabled) or commented, as the module's set_locale. */
export function setLocale(text: string, name: string, enabled: boolean): string {
  const re = new RegExp(`#?\\s*${escape(name)} (.+)`)
  return text.replace(/[^\n]+/g, (line) => line.replace(re, (_m, charset: string) => `${enabled ? '' : '# '}${name} ${charset}`))
}

type LocaleOp = { write?: { path: string; content: string }; command: string }

export default defineModule({
  name: 'locale_gen',
  description: 'Compile or remove a locale (community.general.locale_gen).',
  params,
  reads: () => [{ def: localeStateFact, args: {} }],
  async plan(ctx, p) {
    const s = await ctx.fact(localeStateFact, {})
    if (s.mode === 'none') throw new PghaError('task', '/etc/locale.gen and /var/lib/locales/supported.d/local are missing. Is the package "locales" installed?')
    if (!isAvailable(s.available, p.name, s.mode === 'ubuntu')) throw new PghaError('task', "The locale you've entered is not available on your system.")
    const present = s.installed.some((l) => fixCase(l) === fixCase(p.name))
    const result = { name: p.name, msg: 'OK' }
    if (present === (p.state === 'present')) return { changes: [], result }
    const description = `${p.state === 'present' ? 'generate' : 'remove'} locale ${p.name}`
    if (s.mode === 'ubuntu') {
      const command = p.state === 'present'
        ? commandLine('locale-gen', [], [p.name])
        : `f=/var/lib/locales/supported.d/local; grep -v -e ${shq(`^${escape(p.name)} `)} "$f" > "$f.pgha"; mv -f "$f.pgha" "$f" && locale-gen --purge`
      return { changes: [{ description, data: { command } }], result }
    }
    const after = setLocale(s.available, p.name, p.state === 'present')
    const change: Change<LocaleOp> = {
      description, path: '/etc/locale.gen', before: diffText(s.available), after: diffText(after),
      data: { write: { path: '/etc/locale.gen', content: after }, command: 'locale-gen' },
    }
    return { changes: [change], result }
  },
  async apply(ctx, _p, plan) {
    const { write, command } = plan.changes[0].data
    if (write) await ctx.writeFile(write.path, write.content)
    const r = await ctx.exec(command)
    ctx.invalidate(localeStateFact)
    ctx.invalidate(fileFact)
    if (r.rc !== 0) throw new PghaError('task', `locale.gen failed to execute, it returned ${r.rc}: ${(r.stderr || r.stdout).trim()}`)
  },
})
