// The facts Ansible's `setup` module gives and real roles read, read in the one round trip of fact
// gathering: a POSIX sh script prints `key=value` lines, and a pure parse turns them into Ansible's shapes
// and names (without the ansible_ prefix; engine/gather-facts.ts adds the ansible_* names). Each value is
// read as Ansible's fact code reads it (ansible/module_utils/facts/...), so a role's `when:` agrees.
import type { HostFacts } from '../modules/types.js'

export type SetupFacts = Record<string, unknown>

/** The facts this script gives, by gather_subset (Ansible's subset names; `min` is always gathered). */
export const SUBSETS: Readonly<Record<string, readonly string[]>> = {
  min: [
    'distribution', 'distribution_release', 'distribution_version', 'distribution_major_version', 'os_family',
    'architecture', 'kernel', 'hostname', 'fqdn', 'nodename', 'domain', 'env', 'user_id', 'user_uid', 'user_gid',
    'user_dir', 'user_shell', 'date_time', 'python', 'python_version', 'pkg_mgr', 'service_mgr', 'system', 'fips',
  ],
  network: ['default_ipv4', 'all_ipv4_addresses', 'interfaces'],
  hardware: ['memtotal_mb', 'processor_vcpus', 'processor_cores', 'processor_count', 'processor_threads_per_core', 'processor_nproc', 'mounts'],
  virtual: ['virtualization_type', 'virtualization_role'],
  selinux: ['selinux', 'selinux_python_present'],
}

export const SETUP_FACT_NAMES: readonly string[] = Object.values(SUBSETS).flat()

/**
 * Reads /proc, /sys and /etc with the shell's own `read` and one awk; a process per value cost ~1 ms each
 * on a host, 60 ms of a gathering of ~50 processes, where this one starts 10. Python, the slowest
 * (~50 ms to start), runs in the background from the first line and is waited for at the end.
 */
const AWK_FACTS = String.raw`awk -F': *' '
BEGIN { for (k in ENVIRON) { v = ENVIRON[k]; gsub(/\\/, "\\\\", v); gsub(/\n/, "\\n", v); print "env=" k "=" v } }
FILENAME == "/proc/meminfo" && /^MemTotal:/ { split($2, a, " "); print "memtotal_kb=" a[1] }
FILENAME == "/proc/cpuinfo" && /^processor/ { n++ }
FILENAME == "/proc/cpuinfo" && /^physical id/ { p[$2] = 1 }
FILENAME == "/proc/cpuinfo" && /^cpu cores/ { c = $2 }
FILENAME == "/proc/cpuinfo" && /^siblings/ { s = $2 }
FILENAME == "/proc/self/mountinfo" { split($0, f, " "); if (f[4] != "/") print "bind=" f[5] }
FILENAME == "/proc/1/cgroup" && /\/docker\/|\/ecs\// { docker = 1 }
FILENAME == "/proc/1/cgroup" && /\/lxc\/|machine-lxc/ { lxc = 1 }
FILENAME == "/proc/self/status" && /^Cpus_allowed_list:/ {
  gsub(/[ \t]/, "", $2); m = split($2, r, ","); t = 0
  for (i = 1; i <= m; i++) { if (split(r[i], b, "-") == 2) t += b[2] - b[1] + 1; else if (r[i] != "") t++ }
  print "nproc=" t
}
FILENAME == "/proc/self/status" && /^Uid:/ { split($2, a, " "); uid = a[1] }
FILENAME == "/proc/self/status" && /^Gid:/ { split($2, a, " "); print "ids=" uid " " a[1] }
FILENAME == "/etc/selinux/config" && /^SELINUX(TYPE)?=/ { print "selinux_" $0 }
FILENAME !~ /^\/(proc|etc)\// { print "addr=" $0 }
END { k = 0; for (x in p) k++; print "cpu=" n + 0 " " k " " c + 0 " " s + 0; print "cgroup=" (docker ? "docker" : lxc ? "lxc" : "") }'`

export const SETUP_SCRIPT = [
  // Ansible's selinux facts need libselinux.so.1 loaded into python (module_utils/compat/selinux.py loads
  // it with ctypes); without it they say only "Missing selinux Python library".
  String.raw`for p in /usr/bin/python3 python3 /usr/libexec/platform-python; do command -v $p >/dev/null 2>&1 && { echo "python=$($p -c 'import sys; v=sys.version_info; print(v[0], v[1], v[2], v[3], v[4], sys.executable)
try:
    import ctypes; ctypes.CDLL("libselinux.so.1"); print("selinux_py=1")
except Exception:
    print("selinux_py=0")' 2>/dev/null)" & break; }; done`,
  // The first line of a file into $x, true when there was one (even without its newline).
  String.raw`rd() { x=; read -r x 2>/dev/null <"$1" || [ -n "$x" ]; }`,
  '. /etc/os-release 2>/dev/null',
  'echo "id=$ID"', 'echo "version=$VERSION_ID"', 'echo "codename=$VERSION_CODENAME"',
  'rd /etc/debian_version && echo "debian_version=$x"',
  'rd /etc/redhat-release && echo "redhat_release=$x"',
  'for m in dnf yum apt-get; do command -v $m >/dev/null 2>&1 && { echo "pkg=$m"; break; }; done',
  'rd /proc/1/comm; echo "init=$x"',
  '[ -d /run/systemd/system ] && echo "systemd_run=1"',
  '[ -d /etc/init.d ] && echo "initd=1"',
  'set -- $(uname -snrm); echo "system=$1"; echo "nodename=$2"; echo "kernel=$3"; echo "arch=$4"; n=$2',
  'rd /proc/sys/kernel/hostname; echo "hostname=${x:-$n}"',
  // getent's first field; then the reverse lookup, whose first line alone has a `=`-less name list.
  'set -- $(getent hosts "$n" 2>/dev/null); [ -n "$1" ] && echo "fqdn=$(getent hosts "$1" 2>/dev/null)"',
  'echo "route=$(ip -4 route get 8.8.8.8 2>/dev/null)"',
  'for i in /sys/class/net/*; do [ -e "$i" ] && { rd "$i/address"; m=$x; rd "$i/mtu"; echo "iface=${i##*/} $m $x"; }; done',
  'set --; for f in /proc/meminfo /proc/cpuinfo /proc/self/mountinfo /proc/1/cgroup /proc/self/status /etc/selinux/config; do [ -r "$f" ] && set -- "$@" "$f"; done',
  // selinuxfs mounted: SELinux is enabled (libselinux's is_selinux_enabled()).
  '[ -r /sys/fs/selinux/enforce ] && { rd /sys/fs/selinux/enforce; echo "selinux_enforce=$x"; rd /sys/fs/selinux/policyvers; echo "selinux_policyvers=$x"; }',
  `ip -4 -o addr show 2>/dev/null | ${AWK_FACTS} "$@" -`,
  // Mount points, decoded only when escaped (a process each); then one stat of them all.
  String.raw`set --; while read -r d m t o r; do case "$d" in /*|*:/*) [ "$t" = none ] || { case "$m" in *\\*) m=$(printf '%b' "$m");; esac; echo "mount=$d $t $o $m"; set -- "$@" "$m"; };; esac; done < /proc/mounts`,
  String.raw`[ $# -gt 0 ] && stat -f -c 'statfs=%S %s %b %a %c %d %n' -- "$@" 2>/dev/null`,
  // The real uid and gid (os.getuid() and os.getgid() in Ansible) come from the awk (/proc/self/status).
  'echo "passwd=$(getent passwd "$(id -ru)")"',
  String.raw`echo "date=$(date '+%Y %m %d %H %M %S %s %A %w %W %Z %z %N')"`,
  '[ -f /.dockerenv ] && echo "dockerenv=1"',
  '[ -f /run/.containerenv ] && echo "containerenv=1"',
  'rd /run/systemd/container && echo "nspawn=$x"',
  'rd /proc/sys/crypto/fips_enabled; echo "fips=$x"',
  'rd /sys/class/dmi/id/product_name; d=$x; rd /sys/class/dmi/id/sys_vendor; echo "dmi=$d|$x"',
  'wait',
].join('; ')

/** Every value of a key, in order (keys like addr= and mount= repeat). */
function lines(stdout: string): Map<string, string[]> {
  const out = new Map<string, string[]>()
  for (const l of stdout.split('\n')) {
    const eq = l.indexOf('=')
    if (eq <= 0) continue
    const k = l.slice(0, eq)
    out.set(k, [...(out.get(k) ?? []), l.slice(eq + 1)])
  }
  return out
}

const int = (s: string | undefined): number => Number.parseInt(s ?? '', 10) || 0

export function parseSetup(stdout: string, base: HostFacts): SetupFacts {
  const kv = lines(stdout)
  const one = (k: string): string => (kv.get(k)?.[0] ?? '').trim()
  const id = one('id').toLowerCase()
  let version = one('version')
  let release = one('codename')
  const redhat = /release ([\d.]+)(?: \((\w+)\))?/.exec(one('redhat_release'))
  if (id === 'debian' && /^\d/.test(one('debian_version'))) version = one('debian_version')
  else if (redhat && base.os_family === 'RedHat') [version, release] = [redhat[1], redhat[2] ?? release]
  const nodename = one('nodename')
  return {
    distribution: base.distribution,
    distribution_release: release || 'NA',
    distribution_version: version || 'NA',
    distribution_major_version: base.distribution_major_version,
    os_family: base.os_family,
    architecture: one('arch'),
    kernel: one('kernel'),
    system: one('system'),
    hostname: nodename.split('.')[0] || base.hostname,
    nodename,
    fqdn: fqdnOf(one('fqdn'), nodename),
    domain: fqdnOf(one('fqdn'), nodename).split('.').slice(1).join('.'),
    ...network(kv, one('route')),
    ...hardware(kv),
    env: Object.fromEntries((kv.get('env') ?? []).map((e) => [e.slice(0, e.indexOf('=')), unescape(e.slice(e.indexOf('=') + 1))])),
    ...user(one('ids'), one('passwd')),
    date_time: dateTime(one('date')),
    ...python(one('python')),
    pkg_mgr: base.pkg_mgr,
    service_mgr: base.service_mgr,
    ...virtual(containerOf(one), one('dmi')),
    ...selinux(one),
    // As Ansible's fips collector: true only when the kernel says FIPS mode is on (roles pick scram-sha-256 by it).
    fips: one('fips') === '1',
  }
}

function unescape(v: string): string {
  return v.replace(/\\(n|\\)/g, (_, c: string) => (c === 'n' ? '\n' : '\\'))
}

/** Python's socket.getfqdn(): the first name with a dot among the reverse lookup's names, else its first. */
function fqdnOf(line: string, nodename: string): string {
  const names = line.split(/\s+/).slice(1).filter(Boolean)
  return names.find((n) => n.includes('.')) ?? names[0] ?? nodename
}

/** service_mgr as Ansible decides it: PID 1's name, unless it is init or a shell. */
export function serviceMgrOf(init: string, systemdRun: boolean, initd: boolean): string {
  const MAP: Record<string, string> = { procd: 'openwrt_init', 'runit-init': 'runit', svscan: 'svc' }
  if (init !== '' && init !== 'init' && !init.endsWith('sh')) return MAP[init] ?? init
  if (systemdRun) return 'systemd'
  return initd ? 'sysvinit' : 'service'
}

function network(kv: Map<string, string[]>, route: string): SetupFacts {
  const m = (re: RegExp): string | undefined => re.exec(route)?.[1]
  const iface = m(/ dev (\S+)/)
  const ifaces = (kv.get('iface') ?? []).map((l) => l.split(' '))
  const addrs = (kv.get('addr') ?? []).flatMap((l) => {
    const a = /^\d+:\s+(\S+)\s+inet ([\d.]+)\/(\d+)(?: brd ([\d.]+))?/.exec(l)
    return a ? [{ dev: a[1], address: a[2], prefix: a[3], broadcast: a[4] ?? '' }] : []
  })
  const address = m(/ src ([\d.]+)/)
  const own = addrs.find((a) => a.dev === iface && a.address === address)
  const link = ifaces.find((i) => i[0] === iface)
  const default_ipv4 = address === undefined ? {} : {
    address, interface: iface, gateway: m(/ via ([\d.]+)/), alias: iface,
    ...(own ? { prefix: own.prefix, netmask: netmask(int(own.prefix)), broadcast: own.broadcast, network: networkOf(address, int(own.prefix)) } : {}),
    ...(link ? { macaddress: link[1], mtu: int(link[2]) } : {}),
  }
  return {
    default_ipv4,
    all_ipv4_addresses: addrs.map((a) => a.address).filter((a) => !a.startsWith('127.')),
    interfaces: ifaces.map((i) => i[0]),
  }
}

function netmask(prefix: number): string {
  const n = prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0
  return [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.')
}

function networkOf(address: string, prefix: number): string {
  const mask = netmask(prefix).split('.').map(Number)
  return address.split('.').map((o, i) => Number(o) & mask[i]).join('.')
}

function hardware(kv: Map<string, string[]>): SetupFacts {
  const [processors, sockets, cores, siblings] = (kv.get('cpu')?.[0] ?? '').split(' ').map((s) => int(s))
  const count = sockets || processors
  const perSocket = cores || 1
  const threads = siblings && cores ? Math.max(1, Math.floor(siblings / cores)) : 1
  // A bind mount (its root inside another file system) shows `bind` among its options, as findmnt tells Ansible.
  const binds = new Set((kv.get('bind') ?? []).map((m) => m.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(Number.parseInt(o, 8)))))
  // statfs numbers by mount point: `%S %s %b %a %c %d` then the point as given.
  const statfs = new Map((kv.get('statfs') ?? []).map((l) => {
    const f = l.split(' ')
    return [f.slice(6).join(' '), f.slice(0, 6)] as const
  }))
  const mounts = (kv.get('mount') ?? []).flatMap((l) => {
    const f = l.split(' ')
    const mount = f.slice(3).join(' ')
    const numbers = statfs.get(mount)
    if (f.length < 4 || !numbers) return []
    const [device, fstype, options] = f
    const [frsize, bsize, blocks, bavail, files, ffree] = numbers
    const n = (s: string) => int(s)
    return [{
      mount, device, fstype, options: binds.has(mount) ? `${options},bind` : options,
      size_total: n(frsize) * n(blocks), size_available: n(frsize) * n(bavail), block_size: n(bsize),
      block_total: n(blocks), block_available: n(bavail), block_used: n(blocks) - n(bavail),
      inode_total: n(files), inode_available: n(ffree), inode_used: n(files) - n(ffree), uuid: 'N/A',
    }]
  })
  return {
    memtotal_mb: Math.floor(int(kv.get('memtotal_kb')?.[0]) / 1024),
    processor_count: count,
    processor_cores: perSocket,
    processor_threads_per_core: threads,
    processor_vcpus: threads * count * perSocket,
    processor_nproc: int(kv.get('nproc')?.[0]),
    mounts,
  }
}

function user(ids: string, passwd: string): SetupFacts {
  const [uid, gid] = ids.split(' ')
  const pw = passwd.split(':')
  return { user_id: pw[0] ?? '', user_uid: int(uid), user_gid: int(gid), user_gecos: pw[4] ?? '', user_dir: pw[5] ?? '', user_shell: pw[6] ?? '' }
}

function dateTime(line: string): SetupFacts {
  const [year, month, day, hour, minute, second, epoch, weekday, weekdayNumber, weeknumber, tz, tzOffset, nanos] = line.split(' ')
  if (nanos === undefined || !/^\d+$/.test(epoch)) return {}
  // UTC from the epoch, one `date` call: the same instant as the local fields.
  const isoSeconds = new Date(Number(epoch) * 1000).toISOString().slice(0, 19)
  const micro = /^\d{9}$/.test(nanos) ? nanos.slice(0, 6) : '000000'
  const utc = `${isoSeconds}.${micro}`
  const basic = `${year}${month}${day}T${hour}${minute}${second}`
  return {
    year, month, weekday, weekday_number: weekdayNumber, weeknumber, day, hour, minute, second, epoch, epoch_int: epoch,
    date: `${year}-${month}-${day}`, time: `${hour}:${minute}:${second}`,
    iso8601_micro: `${utc}Z`, iso8601: `${isoSeconds}Z`, iso8601_basic: `${basic}${micro}`, iso8601_basic_short: basic,
    tz, tz_dst: tz, tz_offset: tzOffset,
  }
}

function python(line: string): SetupFacts {
  const [major, minor, micro, releaselevel, serial, ...exe] = line.split(' ')
  if (exe.length === 0) return {}
  const version = { major: int(major), minor: int(minor), micro: int(micro), releaselevel, serial: int(serial) }
  return {
    python: { executable: exe.join(' '), has_sslcontext: true, type: 'cpython', version, version_info: [version.major, version.minor, version.micro, releaselevel, version.serial] },
    python_version: `${major}.${minor}.${micro}`,
  }
}

/** Ansible's selinux facts: what python's selinux library would say; without it, only that it is missing. */
function selinux(one: (k: string) => string): SetupFacts {
  const present = one('selinux_py') === '1'
  if (!present) return { selinux: { status: 'Missing selinux Python library' }, selinux_python_present: false }
  if (one('selinux_enforce') === '') return { selinux: { status: 'disabled' }, selinux_python_present: true }
  const mode = (v: string): string => ({ '1': 'enforcing', '0': 'permissive' })[v] ?? v.toLowerCase()
  return {
    selinux: {
      status: 'enabled', policyvers: int(one('selinux_policyvers')), config_mode: one('selinux_SELINUX').toLowerCase() || 'unknown',
      mode: mode(one('selinux_enforce')), type: one('selinux_SELINUXTYPE') || 'unknown',
    },
    selinux_python_present: true,
  }
}

/** The container kind, in the order Ansible's LinuxVirtual looks: PID 1's cgroups, marker files, systemd's word. */
function containerOf(one: (k: string) => string): string {
  if (one('cgroup')) return one('cgroup')
  if (one('dockerenv')) return 'docker'
  if (one('containerenv')) return 'podman'
  return one('nspawn')
}

/** virtualization_type and _role as Ansible's LinuxVirtual finds them: containers first, then the DMI names. */
function virtual(container: string, dmi: string): SetupFacts {
  if (container !== '') return { virtualization_type: container === 'systemd-nspawn' ? 'systemd-nspawn' : container, virtualization_role: 'guest' }
  const [product, vendor] = dmi.split('|')
  const KNOWN: [RegExp, string][] = [[/KVM|QEMU|Bochs/i, 'kvm'], [/VMware/i, 'VMware'], [/VirtualBox/i, 'virtualbox'], [/HVM domU|Xen/i, 'xen'], [/Virtual Machine/i, 'VirtualPC'], [/Amazon EC2/i, 'amazon']]
  for (const [re, type] of KNOWN) if (re.test(`${product} ${vendor}`)) return { virtualization_type: type, virtualization_role: 'guest' }
  return { virtualization_type: 'NA', virtualization_role: 'NA' }
}
