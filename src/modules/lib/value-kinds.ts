// What a value may be when a module passes it to a command or writes it into a line: unit names, user and
// group names, package specs, paths, host names, crypt hashes, single lines. Each kind is a zod string
// schema, so a module declares it on its parameter and the same check runs twice without more code: on a
// literal value at load time (an input error naming file:line:col, before any host is contacted) and on a
// rendered value at run time (the task fails saying which parameter and why). The commands themselves also
// put every operand after `--` (shell/argv.ts); these kinds say what a value may be at all.
import { z } from 'zod'

/** Why `v` is not of the kind, or undefined when it is. */
type Check = (v: string) => string | undefined

/** The value as an error shows it: JSON (a newline reads `\n`), cut at 60 characters. */
function shown(v: string): string {
  const s = JSON.stringify(v)
  return s.length > 62 ? `${s.slice(0, 58)}..."` : s
}

/** A string schema that refuses what `check` refuses; `secret` keeps the value out of the message. */
function kind(what: string, check: Check, secret = false) {
  return z.string().superRefine((v, ctx) => {
    const why = check(v)
    if (why !== undefined) ctx.addIssue({ code: 'custom', message: `${secret ? 'the value' : shown(v)} is not ${what}: ${why}` })
  })
}

// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/

/** Refuses a line break or a NUL: the value goes into a line (a config line, a command's argument, a fact's output). */
const oneLine: Check = (v) => (/[\n\r\0]/.test(v) ? 'it contains a line break or a NUL byte' : undefined)

const notOption: Check = (v) => (v.startsWith('-') ? `it starts with '-' (a command would read it as an option)` : undefined)

const first = (...checks: Check[]): Check => (v) => {
  for (const c of checks) {
    const why = c(v)
    if (why !== undefined) return why
  }
  return undefined
}

// --- names ---

const UNIT = /^[A-Za-z0-9:_.\\@-]+$/

/** systemd.unit(5): ASCII letters, digits and `:-_.\@`, at most 255 characters with the type suffix. */
export const isUnitName: Check = (v) => {
  if (!UNIT.test(v)) return `a unit name is ASCII letters, digits and ":-_.\\@" (systemd.unit(5))`
  const full = /\.[a-z]+$/.test(v) ? v : `${v}.service`
  return full.length > 255 ? 'a unit name is at most 255 characters' : undefined
}

const ACCOUNT = /^[A-Za-z0-9_.][A-Za-z0-9_.-]*\$?$/

/** A user or group name as useradd and groupadd accept it: no leading '-', not only digits, at most 32 characters. */
export const isAccountName: Check = (v) => {
  if (!ACCOUNT.test(v)) return `a user or group name is letters, digits, '_', '.' and '-' (not first), optionally ending in '$'`
  if (/^\d+$/.test(v)) return 'a name of digits only would read as a numeric id'
  if (v === '.' || v === '..') return `'.' and '..' are not names`
  return v.length > 32 ? 'a user or group name is at most 32 characters' : undefined
}

/** An owner or group as chown takes it: a name, or a numeric id. */
export const isOwner: Check = (v) => (/^\d+$/.test(v) ? undefined : isAccountName(v))

// Debian and RPM package names, with apt's `:arch` and `=version` pins, RPM's name-version-release.arch
// and epoch forms, yum's globs, and what rpm resolves through provides (`perl(DBI)`, `/usr/bin/psql`).
const PACKAGE = /^[A-Za-z0-9_/][A-Za-z0-9._+~^:*()/-]*(=[A-Za-z0-9._+~^:*-]+)?$/

/** A package spec: `postgresql-15`, `libpq5:amd64`, `nginx=1.22*`, `postgresql13-server-13.4-1.el7`, `postgresql13*`, `perl(DBI)`. */
export const isPackageSpec: Check = (v) =>
  PACKAGE.test(v) ? undefined
  // yum's and dnf's groups (`@Development tools`, `@^minimal-environment`): said as such, not as a bad name.
  : v.startsWith('@') ? `it is a yum/dnf package group, which pgha's package modules do not install (run dnf group install with command)`
  : `a package is a name of letters, digits and ".+-_~^:*()/" starting with a letter, a digit or "/", optionally with an apt pin "=VERSION"`

// --- paths and addresses ---

/** A path on the host, relative or absolute, that no command can read as an option. */
export const isHostPath: Check = first(
  (v) => (v === '' ? 'it is empty' : undefined),
  oneLine,
  (v) => (v.startsWith('-') ? `it starts with '-' (write ./${v} for a relative path)` : undefined),
)

/** A file name a module puts in its directory (a .repo file, a cron.d file): one path component, so it cannot leave it. */
export const isFileName: Check = first(
  (v) => (v === '' || v === '.' || v === '..' ? `it is not a file name` : undefined),
  oneLine,
  (v) => (v.includes('/') ? `a file name holds no '/' (it would leave the directory)` : undefined),
)

/** An absolute path, where the module's documentation says absolute. */
export const isAbsolutePath: Check = first(oneLine, (v) => (v.startsWith('/') ? undefined : 'it must be an absolute path (starting with /)'))

const HOST = /^[A-Za-z0-9_.:%[\]-]+$/

/** A host name, an IPv4 or IPv6 address, or (for libpq) a unix socket directory. */
export const isHostAddress: Check = (v) => {
  if (v.startsWith('/')) return oneLine(v)
  if (!HOST.test(v)) return 'a host is a name or an address: letters, digits and ".-_:%[]"'
  return notOption(v)
}

// --- what goes into lines ---

/** A crypt(3) hash as chpasswd -e and /etc/shadow take it: no ':' (the field separator), no space or control character. */
export const isCryptHash: Check = (v) => (/[:\s]/.test(v) || CONTROL.test(v) ? 'a crypt hash holds no ":", space, line break or control character' : undefined)

/** A GECOS field of /etc/passwd: one line, no ':'. */
export const isGecos: Check = first(oneLine, (v) => (v.includes(':') ? `the passwd comment field cannot hold ':' (the field separator)` : undefined))

// --- system settings (sysctl, hostname, timezone, getent) ---

/** A kernel parameter as sysctl(8) names it: `net.ipv4.ip_forward`, `net/ipv4/conf/eth0.1/forwarding`. */
export const isSysctlName: Check = (v) =>
  /^[A-Za-z0-9_][A-Za-z0-9_./:@-]*$/.test(v) ? undefined : `a kernel parameter is letters, digits and "_./:@-", starting with a letter, a digit or "_"`

const LABEL = '[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?'

/** A host name as hostname(7) describes it: dot-separated labels of letters, digits and '-' (not first or last), at most 253 characters. */
export const isHostName: Check = (v) => {
  if (!new RegExp(`^${LABEL}(\\.${LABEL})*$`).test(v)) return `a host name is labels of letters, digits, '_' and '-' (not first or last), separated by '.'`
  return v.length > 253 ? 'a host name is at most 253 characters' : undefined
}

/** A tz database name (`Europe/Paris`, `Etc/GMT+5`, `UTC`): the file under /usr/share/zoneinfo, so no '.' and no empty part. */
export const isTimezoneName: Check = (v) =>
  /^[A-Za-z0-9_+][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(v) ? undefined : `a time zone is names of letters, digits and "_+-" separated by '/', as under /usr/share/zoneinfo`

/** A name service database or service as getent(1) and nsswitch.conf(5) name them: `passwd`, `ahostsv4`, `files`. */
export const isNssName: Check = (v) => (/^[a-z0-9_]+$/.test(v) ? undefined : 'a name service database or service is lower-case letters, digits and "_"')

/** One word a command looks up: one line, not read as an option. */
export const isLookupKey: Check = first(
  (v) => (v === '' ? 'it is empty' : undefined),
  oneLine,
  notOption,
)

// --- the schemas modules declare ---

export const unitNameParam = () => kind('a systemd unit name', isUnitName)
export const accountNameParam = () => kind('a user or group name', isAccountName)
export const ownerParam = () => kind('a user or group (a name or a numeric id)', isOwner)
export const hostPathParam = () => kind('a usable path', isHostPath)
export const absolutePathParam = () => kind('an absolute path', isAbsolutePath)
export const fileNameParam = () => kind('a file name', isFileName)
export const hostAddressParam = () => kind('a host name or address', isHostAddress)
export const singleLineParam = () => kind('a single line', oneLine)
export const gecosParam = () => kind('a passwd comment', isGecos)
export const cryptHashParam = () => kind('a crypt hash', isCryptHash, true)
export const sysctlNameParam = () => kind('a kernel parameter name', isSysctlName)
export const hostNameParam = () => kind('a host name', isHostName)
export const timezoneNameParam = () => kind('a time zone name', isTimezoneName)
export const nssNameParam = () => kind('a name service database or service', isNssName)
export const lookupKeyParam = () => kind('a key to look up', isLookupKey)

/** Refuses every item of a list that is not of the kind, naming its position: `stringList().superRefine(packageItems)`. */
function eachItem(what: string, check: Check) {
  return (list: string[], ctx: z.RefinementCtx) => {
    list.forEach((v, i) => {
      const why = check(v)
      if (why !== undefined) ctx.addIssue({ code: 'custom', path: [i], message: `${shown(v)} is not ${what}: ${why}` })
    })
  }
}

export const packageItems = eachItem('a package', isPackageSpec)
export const ownerItems = eachItem('a group (a name or a numeric id)', isOwner)
export const hostItems = eachItem('a host name or address', isHostAddress)
