// Values written into line-oriented formats, one function per format: a value is refused when it holds a
// line break (or a field separator where the format has no quoting), and quoted where the format has
// quoting. Modules build their lines through these (chpasswd's NAME:HASH, libpq conninfo strings) and the
// template helpers call them for the files the shipped templates and playbooks render (repmgr.conf,
// postgresql.conf, pg_hba.conf, sudoers, systemd units, /etc/hosts). Each throws LineFormatError with a
// sentence naming the format and what is wrong (a task failure in a module, a template error in a
// template); values marked `secret` are never quoted in it.
import { PghaError } from '../errors.js'

export class LineFormatError extends PghaError {
  constructor(message: string) {
    super('task', message)
  }
}

/** The value as an error shows it: JSON (a newline reads `\n`), cut at 60 characters. */
function shown(v: string): string {
  const s = JSON.stringify(v)
  return s.length > 62 ? `${s.slice(0, 58)}..."` : s
}

function refuse(format: string, v: string, why: string, secret = false): never {
  throw new LineFormatError(`${secret ? 'a value' : shown(v)} cannot be written into ${format}: ${why}`)
}

const BREAK = /[\n\r\0]/

/** The value, refused when it holds a line break or a NUL (any line-oriented file). */
export function singleLine(format: string, v: string): string {
  if (BREAK.test(v)) refuse(format, v, 'it contains a line break')
  return v
}

// --- chpasswd -e ---

/** `NAME:HASH\n` for chpasswd -e: neither field may hold ':' or a line break. The hash never shows in the error. */
export function chpasswdLine(name: string, hash: string): string {
  if (/[:\s]/.test(name)) refuse('a chpasswd line', name, 'a user name holds no ":" or white space')
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  if (/[:\s]/.test(hash) || /[\u0000-\u001f]/.test(hash)) refuse('a chpasswd line', hash, 'a crypt hash holds no ":", white space or control character', true)
  return `${name}:${hash}\n`
}

// --- postgresql.conf and repmgr.conf (PostgreSQL's configuration file syntax) ---

const CONF = 'a PostgreSQL configuration file'

/** `'value'` with `'` doubled and `\` doubled (the file's parser reads backslash escapes); a line break is refused. */
export function confQuote(v: string): string {
  singleLine(CONF, v)
  return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`
}

// guc-file.l's tokens a value may be written as without quotes: a number (with a unit), a bare word, or
// one quoted string. A value already written that way is kept as it is: pgha's own defaults are
// PostgreSQL syntax (`listen_addresses: "'*'"`, `wal_level: replica`, `wal_keep_size: 256MB`).
const CONF_TOKEN = new RegExp(
  [
    /[-+]?(\d+|0x[0-9a-fA-F]+)[a-zA-Z]*/, // INTEGER with unit letters
    /[-+]?(\d+\.\d*|\d*\.\d+)([eE][-+]?\d+)?/, // REAL
    /[A-Za-z_\x80-\xff][A-Za-z0-9_\x80-\xff.:/-]*/, // ID, QUALIFIED_ID, UNQUOTED_STRING
    /'([^'\\\n]|\\.|'')*'/, // STRING
  ].map((r) => `^(${r.source})$`).join('|'),
)

/** A setting's value for `name = VALUE`: kept when it is one token of the file's syntax, else quoted. */
export function confValue(v: string): string {
  singleLine(CONF, v)
  return CONF_TOKEN.test(v) ? v : confQuote(v)
}

// --- libpq conninfo strings ---

/** A conninfo value: bare when it is a plain word, else single-quoted with `\` and `'` escaped by a backslash. */
export function conninfoValue(v: string): string {
  singleLine('a conninfo string', v)
  if (/^[A-Za-z0-9_.:/@%+,[\]-]+$/.test(v)) return v
  return `'${v.replace(/[\\']/g, (c) => `\\${c}`)}'`
}

// The order conninfo writes keywords in, whatever order they came in (a template engine may reverse them).
const CONNINFO_ORDER = ['host', 'hostaddr', 'port', 'user', 'dbname', 'connect_timeout']
const rank = (k: string): number => (CONNINFO_ORDER.includes(k) ? CONNINFO_ORDER.indexOf(k) : CONNINFO_ORDER.length)

/** A database name for a libpq tool's -d: as it is, unless libpq would read it as a conninfo (then `dbname=...`). */
export function dbnameArg(db: string): string {
  return /=|^postgres(ql)?:\/\//.test(db) ? conninfo({ dbname: db }) : singleLine('a database name', db)
}

/** `host=a port=5432 user=repmgr ...` from the fields given (undefined ones left out), each value quoted as needed. */
export function conninfo(fields: Record<string, string | number | undefined>): string {
  return Object.entries(fields)
    .sort(([a], [b]) => rank(a) - rank(b))
    .filter((e): e is [string, string | number] => e[1] !== undefined)
    .map(([k, v]) => {
      if (!/^[a-z_]+$/.test(k)) refuse('a conninfo string', k, 'a keyword is lower-case letters and _')
      return `${k}=${conninfoValue(String(v))}`
    })
    .join(' ')
}

// --- pg_hba.conf ---

const HBA_KEYWORDS = new Set(['all', 'sameuser', 'samerole', 'samegroup', 'replication'])

/**
 * A database, user or address field of pg_hba.conf: bare when it is a plain word, double-quoted when it
 * holds a space, ',' or '#' or is a keyword (then it names a role or database literally). The format
 * cannot escape a '"', so one is refused, as is a line break and a leading '+' or '@' (group and file
 * references), which would change what the field means.
 */
export function hbaField(v: string): string {
  const format = 'pg_hba.conf'
  singleLine(format, v)
  if (v === '') refuse(format, v, 'a field cannot be empty')
  if (v.includes('"')) refuse(format, v, 'a field cannot hold \'"\' (the format cannot escape it)')
  if (/^[+@]/.test(v)) refuse(format, v, `a leading '${v[0]}' would make it a ${v[0] === '+' ? 'group' : 'file'} reference`)
  return /[\s,#]/.test(v) || HBA_KEYWORDS.has(v) ? `"${v}"` : v
}

// --- /etc/hosts ---

/** An address or name of an /etc/hosts line: white space separates fields and '#' starts a comment, so both are refused. */
export function hostsField(v: string): string {
  const format = '/etc/hosts'
  singleLine(format, v)
  if (v === '' || /[\s#]/.test(v)) refuse(format, v, 'a field cannot be empty or hold white space or "#"')
  return v
}

// --- sudoers ---

/**
 * A user, path or argument word of a sudoers rule. sudoers gives meaning to most punctuation (',' ':' '='
 * '!' '(' ')' '\' and '*?[]' in commands, a leading '%' '+' '#' in users) and to upper-case words (ALL,
 * aliases), so only plain words are accepted, none of them upper-case only, and none that a command would
 * read as an option.
 */
export function sudoersWord(v: string): string {
  const format = 'a sudoers rule'
  singleLine(format, v)
  if (!/^[A-Za-z0-9_./@-]+$/.test(v)) refuse(format, v, 'a word is letters, digits and "_./@-"')
  if (v.startsWith('-')) refuse(format, v, `a word starting with '-' would be an option of the command`)
  if (/^[A-Z][A-Z0-9_]*$/.test(v)) refuse(format, v, 'an upper-case word is ALL or an alias to sudo')
  return v
}

// --- systemd unit files ---

const UNIT = 'a systemd unit file'

/** A setting's value (`User=`, `Description=`): one line, no trailing '\' (it would join the next line); '%' doubled (specifiers). */
export function unitValue(v: string): string {
  singleLine(UNIT, v)
  if (v.endsWith('\\')) refuse(UNIT, v, "a trailing '\\' would continue the setting on the next line")
  return v.replace(/%/g, '%%')
}

/**
 * One word of a command line (`ExecStart=`) or one `Environment=` assignment: bare when it is a plain
 * word, else double-quoted with '\' and '"' escaped; '%' doubled (specifiers) and, in a command, '$'
 * doubled (variable expansion).
 */
export function unitWord(v: string, where: 'exec' | 'environment' = 'exec'): string {
  singleLine(UNIT, v)
  let out = v.replace(/%/g, '%%')
  if (where === 'exec') out = out.replace(/\$/g, '$$$$')
  if (/^[A-Za-z0-9_./:@+=,%-]+$/.test(out) && !(where === 'exec' && /^[-@:+!]/.test(out))) return out
  return `"${out.replace(/[\\"]/g, (c) => `\\${c}`)}"`
}

// --- known_hosts ---

/** A host name of a known_hosts line (sshd(8)): white space separates fields and ',' names, so both are refused. */
export function knownHostsName(v: string): string {
  const format = 'a known_hosts line'
  singleLine(format, v)
  if (v === '' || /[\s,]/.test(v)) refuse(format, v, 'a host name cannot be empty or hold white space or ","')
  return v
}

/** A whole known_hosts line as given (`host keytype key [comment]`): one line, at least three fields. */
export function knownHostsLine(v: string): string {
  const format = 'a known_hosts file'
  const line = v.replace(/\n$/, '')
  singleLine(format, line)
  if (line.trim().split(/\s+/).length < 3) refuse(format, line, 'a known_hosts line is "host keytype key"')
  return line
}

// --- crontab ---

/** A time field of a crontab line (minute, hour, ...): white space separates the fields, so it is refused. */
export function cronField(name: string, v: string): string {
  const format = 'a crontab line'
  singleLine(format, v)
  if (v === '' || /\s/.test(v)) refuse(format, v, `the ${name} field cannot be empty or hold white space`)
  return v
}

// --- INI-style repository files (yum .repo) ---

/** A section name of an INI file: one line, no ']'. */
export function iniSection(v: string): string {
  const format = 'an INI section name'
  singleLine(format, v)
  if (v === '' || v.includes(']')) refuse(format, v, 'a section name cannot be empty or hold "]"')
  return v
}

/** A value of an INI file `key = value` line: one line, without leading or trailing white space (the parser strips it). */
export function iniValue(v: string): string {
  const format = 'an INI file'
  singleLine(format, v)
  if (v !== v.trim()) refuse(format, v, 'a value cannot begin or end with white space (the parser strips it)')
  return v
}

// --- logrotate ---

/** A path or user of a logrotate.conf(5) line: white space separates words, and braces, quotes and '#' have meaning. */
export function logrotateWord(v: string): string {
  const format = 'a logrotate configuration'
  singleLine(format, v)
  if (v === '' || /[\s{}#"'\\]/.test(v)) refuse(format, v, 'a word cannot be empty or hold white space, braces, quotes, "#" or "\\"')
  return v
}

// --- one-line apt sources (sources.list(5)) ---

/** A one-line apt source as apt_repository takes it: one line, and no '#' (which starts a comment). */
export function aptSourceLine(v: string): string {
  const format = 'a sources.list line'
  singleLine(format, v)
  if (v.includes('#')) refuse(format, v, "'#' would start a comment")
  return v
}

// --- deb822 (apt .sources) ---

/** A one-line value of a deb822 field: one line, not empty (an empty value would end the field). */
export function deb822Value(v: string): string {
  const format = 'a deb822 field'
  singleLine(format, v)
  if (v.trim() === '') refuse(format, v, 'a value cannot be empty')
  return v.trim()
}

/** A multi-line deb822 value (an inline key): continuation lines indented by a space, a blank line written " .". */
export function deb822Multiline(v: string): string {
  if (/[\r\0]/.test(v)) refuse('a deb822 field', v, 'it holds a carriage return or a NUL')
  return v.trim().split('\n').map((l, i) => (i === 0 ? l : ` ${l.trim() === '' ? '.' : l}`)).join('\n')
}
