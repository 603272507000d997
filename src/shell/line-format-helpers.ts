// The line formats of line-formats.ts as template helpers, for the config files templates and playbooks
// render. Each takes its value as the argument (`{{conf_quote pg_data}}`) or, in block form, the text the
// block renders (`{{#conf_quote}}{{quote pg_bindir}}/repmgr standby promote{{/conf_quote}}`), so a value
// built from several variables is quoted as one. The template engine registers them beside its own.
import { confQuote, confValue, conninfo, hbaField, hostsField, iniSection, iniValue, logrotateWord, singleLine, sudoersWord, unitValue, unitWord } from './line-formats.js'

type Helper = (...args: unknown[]) => unknown

/** What a template engine passes last: the block's body (block form) and the hash arguments (`k=v`). */
interface HelperOptions {
  fn?: (context: unknown) => string
  hash?: Record<string, unknown>
}

const text = (v: unknown): string => (v === undefined || v === null ? '' : String(v))

/** A helper over one string: the first argument, or the rendered block. */
function valueHelper(format: (v: string) => string): Helper {
  return function (this: unknown, ...args: unknown[]) {
    const options = args[args.length - 1] as HelperOptions
    return format(options?.fn ? options.fn(this) : text(args.length > 1 ? args[0] : undefined))
  }
}

export const lineFormatHelpers: Record<string, { fn: Helper; doc: { usage: string; description: string } }> = {
  conf_quote: {
    fn: valueHelper(confQuote),
    doc: { usage: 'data_directory={{conf_quote pg_data}}', description: "a postgresql.conf / repmgr.conf value, single-quoted ('' and \\\\ escaped); a line break is refused" },
  },
  conf_value: {
    fn: valueHelper(confValue),
    doc: { usage: '{{ item.key }} = {{conf_value item.value}}', description: 'a postgresql.conf value: kept when it is one token of the file (on, 10, 64MB, \'*\'), else quoted' },
  },
  conninfo: {
    fn: (...args) => conninfo(((args[args.length - 1] as HelperOptions)?.hash ?? {}) as Record<string, string | number | undefined>),
    doc: { usage: '{{conninfo host=node port=5432 user="repmgr"}}', description: 'a libpq conninfo string from k=v arguments, each value quoted as libpq reads it' },
  },
  hba_field: {
    fn: valueHelper(hbaField),
    doc: { usage: 'host {{hba_field db}} {{hba_field user}} ...', description: 'a pg_hba.conf field: double-quoted when needed; \'"\', a line break and a leading + or @ are refused' },
  },
  hosts_field: {
    fn: valueHelper(hostsField),
    doc: { usage: '{{hosts_field address}} {{hosts_field name}}', description: 'an /etc/hosts field: white space, "#" and line breaks are refused' },
  },
  sudoers_word: {
    fn: valueHelper(sudoersWord),
    doc: { usage: '{{sudoers_word postgres_user}} ALL = ...', description: 'a sudoers user, path or argument: only letters, digits and "_./@-", not starting with "-"' },
  },
  unit_value: {
    fn: valueHelper(unitValue),
    doc: { usage: 'User={{unit_value postgres_user}}', description: "a systemd unit setting: one line, no trailing '\\', % doubled" },
  },
  unit_word: {
    fn: valueHelper((v) => unitWord(v, 'exec')),
    doc: { usage: 'ExecStart={{#unit_word}}{{ bindir }}/pg_ctl{{/unit_word}} -D {{unit_word pg_data}}', description: 'one word of a systemd command line: double-quoted when needed, % and $ doubled' },
  },
  one_line: {
    fn: valueHelper((v) => singleLine('one line of the file', v)),
    doc: { usage: '# Managed by pgha for {{one_line inventory_hostname}}', description: 'a value inside one line (a comment): a line break is refused' },
  },
  ini_value: {
    fn: valueHelper(iniValue),
    doc: { usage: 'repo1-path={{ini_value pgbackrest_repo_path}}', description: 'an INI `key=value` value (pgbackrest.conf): one line, no leading or trailing white space' },
  },
  ini_section: {
    fn: valueHelper(iniSection),
    doc: { usage: '[{{ini_section pgbackrest_stanza}}]', description: 'an INI section name: one line, no "]"' },
  },
  logrotate_word: {
    fn: valueHelper(logrotateWord),
    doc: { usage: '{{logrotate_word pg_log_file}} {', description: 'a logrotate path or user: white space, braces, quotes, "#", "\\" and line breaks are refused' },
  },
  unit_env: {
    fn: valueHelper((v) => unitWord(v, 'environment')),
    doc: { usage: 'Environment={{#unit_env}}PGDATA={{ pg_data }}{{/unit_env}}', description: 'one systemd Environment= assignment: double-quoted when needed, % doubled' },
  },
}
