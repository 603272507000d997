// What locale_gen reads: whether the host keeps its locale list the Ubuntu way
// (/var/lib/locales/supported.d) or the Debian way (/etc/locale.gen), that list, and `locale -a`.
import type { FactDef } from './types.js'

export interface LocaleState {
  mode: 'debian' | 'ubuntu' | 'none'
  /** /etc/locale.gen (debian) or /usr/share/i18n/SUPPORTED (ubuntu). */
  available: string
  /** `locale -a`, one locale a line. */
  installed: string[]
}

const SECTION = '@@pgha-section@@'

export const localeStateFact: FactDef<Record<string, never>, LocaleState> = {
  name: 'locale_state',
  batch: 'joined',
  anyUser: true,
  command: () =>
    `if [ -d /var/lib/locales/supported.d ]; then echo ubuntu; cat /usr/share/i18n/SUPPORTED 2>/dev/null; ` +
    `elif [ -e /etc/locale.gen ]; then echo debian; cat /etc/locale.gen; else echo none; fi; echo; echo ${SECTION}; locale -a 2>/dev/null`,
  parse(stdout) {
    const [head = '', installed = ''] = stdout.split(`\n${SECTION}\n`)
    const nl = head.indexOf('\n')
    const mode = (nl < 0 ? head : head.slice(0, nl)).trim() as LocaleState['mode']
    return { mode, available: nl < 0 ? '' : head.slice(nl + 1), installed: installed.split('\n').map((l) => l.trim()).filter(Boolean) }
  },
}
