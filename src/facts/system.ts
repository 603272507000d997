// System settings read as sysctl, hostname, timezone and getent see them: a kernel parameter's live value,
// the host name (systemd's transient and static names, or the files the distribution keeps it in), the
// time zone (timedatectl, or /etc/timezone and the /etc/localtime link) and a name service lookup. Every
// value a user gives is an operand after `--`; files are read base64 so any byte of them survives.
import type { FactDef } from './types.js'
import { commandLine, shq } from '../shell/index.js'

/** `key=value` lines into a map (the value keeps any further '='). */
function keyValues(stdout: string): Map<string, string> {
  return new Map(stdout.split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]))
}

const decoded = (b64: string | undefined): string | undefined => (b64 === undefined ? undefined : Buffer.from(b64, 'base64').toString('utf8'))

/** A file as `NAME=<base64>` when it is a regular file (Python's os.path.isfile). */
const fileLine = (name: string, path: string): string => `[ -f ${path} ] && echo "${name}=$(base64 -w0 < ${path})"`

/** systemd runs the host: what Ansible's is_systemd_managed checks. */
const SYSTEMD = '[ -d /run/systemd/system ]'

/** A kernel parameter's live value as `sysctl -e -n` prints it; null when sysctl fails. */
export const sysctlFact: FactDef<{ name: string }, string | null> = {
  name: 'sysctl',
  batch: 'joined',
  anyUser: true,
  command: ({ name }) => commandLine('LANG=C LC_ALL=C sysctl', ['-e', '-n'], [name]),
  parse: (stdout, _args, rc) => (rc === 0 ? stdout : null),
}

/**
 * SELinux is enabled on the host (selinuxfs mounted, as libselinux's is_selinux_enabled checks): where it
 * is not, Ansible's file modules ignore setype, seuser, serole and selevel.
 */
export const selinuxFact: FactDef<Record<string, never>, boolean> = {
  name: 'selinux',
  batch: 'joined',
  anyUser: true,
  command: () => '[ -f /sys/fs/selinux/enforce ] && echo enabled; true',
  parse: (stdout) => stdout.trim() === 'enabled',
}

export interface HostnameInfo {
  /** systemd manages the host (hostnamectl is the way to read and set the name). */
  systemd: boolean
  /** hostnamectl's transient and static names (systemd only). */
  transient?: string
  static?: string
  /** /etc/hostname and /etc/sysconfig/network, when they are regular files. */
  etcHostname?: string
  sysconfigNetwork?: string
  /** `hostname -f`, for ansible_fqdn. */
  fqdn: string
}

export const hostnameFact: FactDef<Record<string, never>, HostnameInfo> = {
  name: 'hostname',
  batch: 'joined',
  anyUser: true,
  command: () =>
    [
      `if ${SYSTEMD} && command -v hostnamectl >/dev/null 2>&1; then echo systemd=1; echo "transient=$(hostnamectl --transient status | base64 -w0)"; echo "static=$(hostnamectl --static status | base64 -w0)"; fi`,
      fileLine('hostname', '/etc/hostname'),
      fileLine('network', '/etc/sysconfig/network'),
      'echo "fqdn=$(hostname -f 2>/dev/null || hostname)"',
    ].join('; '),
  parse(stdout) {
    const kv = keyValues(stdout)
    return {
      systemd: kv.get('systemd') === '1',
      transient: decoded(kv.get('transient'))?.trim(),
      static: decoded(kv.get('static'))?.trim(),
      etcHostname: decoded(kv.get('hostname')),
      sysconfigNetwork: decoded(kv.get('network')),
      fqdn: (kv.get('fqdn') ?? '').trim(),
    }
  },
}

export interface TimezoneInfo {
  /** `timedatectl status` ran (exit 0): its output; the systemd way is then used. */
  timedatectl?: string
  /** /etc/timezone (Debian), /etc/sysconfig/clock (EL), /etc/default/rcS and /etc/adjtime, when regular files. */
  etcTimezone?: string
  sysconfigClock?: string
  rcS?: string
  adjtime?: string
  /** Where /etc/localtime links to (undefined when it is not a link); whether what it names exists. */
  localtimeLink?: string
  localtimeExists: boolean
  /** dpkg-reconfigure is installed: Debian's way to apply /etc/timezone. */
  dpkgReconfigure: boolean
  /** The planned zone's file exists under /usr/share/zoneinfo, and is the same bytes as /etc/localtime. */
  zoneExists: boolean
  zoneIsLocaltime: boolean
}

export const timezoneFact: FactDef<{ zone?: string }, TimezoneInfo> = {
  name: 'timezone',
  batch: 'joined',
  anyUser: true,
  command: ({ zone }) => {
    const file = zone === undefined ? undefined : shq(`/usr/share/zoneinfo/${zone}`)
    return [
      `if command -v timedatectl >/dev/null 2>&1 && t=$(LC_ALL=C timedatectl status 2>/dev/null); then echo "timedatectl=$(printf '%s' "$t" | base64 -w0)"; fi`,
      fileLine('timezone', '/etc/timezone'),
      fileLine('clock', '/etc/sysconfig/clock'),
      fileLine('rcS', '/etc/default/rcS'),
      fileLine('adjtime', '/etc/adjtime'),
      '[ -L /etc/localtime ] && echo "link=$(readlink /etc/localtime)"',
      '[ -e /etc/localtime ] && echo localtime=1',
      'command -v dpkg-reconfigure >/dev/null 2>&1 && echo dpkg=1',
      ...(file ? [`[ -f ${file} ] && echo zone=1`, `cmp -s /etc/localtime ${file} && echo same=1`] : []),
      'true',
    ].join('; ')
  },
  parse(stdout) {
    const kv = keyValues(stdout)
    return {
      timedatectl: decoded(kv.get('timedatectl')),
      etcTimezone: decoded(kv.get('timezone')),
      sysconfigClock: decoded(kv.get('clock')),
      rcS: decoded(kv.get('rcS')),
      adjtime: decoded(kv.get('adjtime')),
      localtimeLink: kv.get('link'),
      localtimeExists: kv.get('localtime') === '1',
      dpkgReconfigure: kv.get('dpkg') === '1',
      zoneExists: kv.get('zone') === '1',
      zoneIsLocaltime: kv.get('same') === '1',
    }
  },
}

export interface GetentArgs {
  database: string
  key?: string
  service?: string
}

/** `getent DATABASE [KEY]`: its exit code and output (2: the key is not there). */
export const getentFact: FactDef<GetentArgs, { rc: number; stdout: string }> = {
  name: 'getent',
  batch: 'joined',
  command: ({ database, key, service }) => commandLine('getent', [service !== undefined && ['-s', service]], key === undefined ? [database] : [database, key]),
  parse: (stdout, _args, rc) => ({ rc, stdout }),
}
