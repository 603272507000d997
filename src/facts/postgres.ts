// PostgreSQL facts for the standby clone's safety rules, one command each: what a data directory holds
// (files, pg_controldata, whether a server runs on it and what it streams from), and what the upstream
// says about itself (system identifier, timeline, primary or not) when asked from this host.
import type { FactDef } from './types.js'
import { conninfo, shq } from '../shell/index.js'

export interface DataDirArgs {
  data_directory: string
  bindir: string
}

export interface DataDirInfo {
  /** missing, present, not a directory, or not readable by the fact's user (then nothing else is known). */
  dir: 'missing' | 'present' | 'notdir' | 'unreadable'
  /** Entries in the directory (0: empty). */
  entries: number
  pgVersion?: string
  standbySignal: boolean
  /** From pg_controldata: undefined when it could not read one (not a data directory). */
  systemId?: string
  clusterState?: string
  /** The newest timeline the control file knows: latest checkpoint's, or the min recovery point's. */
  timeline?: number
  /** Where the latest checkpoint record begins (a cleanly shut down server wrote nothing after it). */
  checkpointLsn?: string
  /** running: pg_ctl status says so (or the postmaster.pid process is alive when pg_ctl cannot tell). */
  server: 'running' | 'stopped'
  /** For a running server, from itself: in recovery, and its WAL receiver. */
  inRecovery?: boolean
  receiverStatus?: string
  receiverHost?: string
  /** Why a running server could not be asked (psql's error). */
  queryError?: string
}

const SQL =
  "SELECT 'recovery=' || pg_is_in_recovery() UNION ALL SELECT 'receiver=' || status || '|' || coalesce(sender_host, '') FROM pg_stat_wal_receiver"

export const pgDataDirFact: FactDef<DataDirArgs, DataDirInfo> = {
  name: 'pg_data_dir',
  batch: 'joined',
  command: ({ data_directory, bindir }) => {
    const d = shq(data_directory)
    const b = shq(bindir.replace(/\/$/, ''))
    return [
      `d=${d}; b=${b}; export LC_ALL=C`,
      `if [ ! -e "$d" ]; then echo dir=missing; exit 0; fi`,
      `if [ ! -d "$d" ]; then echo dir=notdir; exit 0; fi`,
      `if [ ! -r "$d" ] || [ ! -x "$d" ]; then echo dir=unreadable; exit 0; fi`,
      // Counted and read by the shell itself: a process per value cost ~1 ms each on the host.
      `n=0; for f in "$d"/* "$d"/.[!.]* "$d"/..?*; do { [ -e "$f" ] || [ -L "$f" ]; } && n=$((n + 1)); done`,
      `echo dir=present; echo "entries=$n"`,
      `[ -f "$d/PG_VERSION" ] && { v=; read -r v <"$d/PG_VERSION"; echo "pg_version=$v"; }`,
      `[ -f "$d/standby.signal" ] && echo standby_signal=1`,
      `"$b/pg_controldata" -D "$d" 2>/dev/null | sed -n 's/^Database system identifier: *\\(.*\\)/sysid=\\1/p; s/^Database cluster state: *\\(.*\\)/state=\\1/p; s/^Latest checkpoint.s TimeLineID: *\\(.*\\)/tli=\\1/p; s/^Min recovery ending loc.s timeline: *\\(.*\\)/min_tli=\\1/p; s/^Latest checkpoint location: *\\(.*\\)/ckpt=\\1/p'`,
      // pg_ctl status: 0 running, 3 stopped; as root or without access it cannot tell, then the pid file decides.
      `"$b/pg_ctl" status -D "$d" >/dev/null 2>&1; s=$?`,
      `if [ $s -eq 3 ]; then echo server=stopped; exit 0; fi`,
      // postmaster.pid: the pid, the data directory, the start time, the port, the first socket directory.
      `pid=; port=; sock=; { read -r pid; read -r x; read -r x; read -r port; read -r sock; } 2>/dev/null <"$d/postmaster.pid"; sock=\${sock%%,*}`,
      `if [ $s -ne 0 ] && { [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; }; then echo server=stopped; exit 0; fi`,
      `echo server=running`,
      // The server's answer after this line, as psql gives it.
      `echo sql-follows`,
      `"$b/psql" -XAtqw -h "\${sock:-/tmp}" -p "$port" -d postgres -c ${shq(SQL)} 2>&1`,
    ].join('\n')
  },
  parse(stdout) {
    const kv = new Map<string, string>()
    const lines = stdout.split('\n')
    const follows = lines.indexOf('sql-follows')
    const sql = follows < 0 ? [] : lines.slice(follows + 1)
    for (const line of follows < 0 ? lines : lines.slice(0, follows)) {
      if (line.includes('=') && !kv.has(line.slice(0, line.indexOf('=')))) kv.set(line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1))
    }
    const dir = (kv.get('dir') ?? 'unreadable') as DataDirInfo['dir']
    const tlis = [kv.get('tli'), kv.get('min_tli')].map(Number).filter((n) => Number.isInteger(n) && n > 0)
    const info: DataDirInfo = {
      dir,
      entries: Number(kv.get('entries') ?? 0),
      pgVersion: kv.get('pg_version'),
      standbySignal: kv.has('standby_signal'),
      systemId: kv.get('sysid') || undefined,
      clusterState: kv.get('state') || undefined,
      timeline: tlis.length ? Math.max(...tlis) : undefined,
      checkpointLsn: kv.get('ckpt') || undefined,
      server: kv.get('server') === 'running' ? 'running' : 'stopped',
    }
    if (info.server !== 'running') return info
    const recovery = sql.find((l) => l.startsWith('recovery='))
    const receiver = sql.find((l) => l.startsWith('receiver='))
    if (!recovery) return { ...info, queryError: sql.join('\n').trim() || 'no answer' }
    const [status, host] = (receiver?.slice('receiver='.length) ?? '').split('|')
    return { ...info, inRecovery: recovery === 'recovery=true', receiverStatus: status || undefined, receiverHost: host || undefined }
  },
}

export interface UpstreamArgs {
  host: string
  port: number
  user: string
  db: string
  bindir: string
}

export interface UpstreamInfo {
  reachable: boolean
  /** psql's error when not reachable. */
  error?: string
  systemId?: string
  /** The timeline it writes now (from its current WAL file name). */
  timeline?: number
  inRecovery?: boolean
  /** server_version_num / 10000. */
  major?: number
}

const UPSTREAM_SQL = [
  "SELECT 'sysid=' || system_identifier FROM pg_control_system()",
  "SELECT 'recovery=' || pg_is_in_recovery()",
  "SELECT 'tli=' || CASE WHEN pg_is_in_recovery() THEN (SELECT timeline_id FROM pg_control_checkpoint()) ELSE ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int END",
  "SELECT 'major=' || current_setting('server_version_num')::int / 10000",
].join(' UNION ALL ')

/** `sql` run by psql on this host against the upstream, with repmgr's connection; psql's exit code follows as `rc=N`. */
export function upstreamQuery({ host, port, user, db, bindir }: UpstreamArgs, sql: string): string {
  const target = conninfo({ host, port, user, dbname: db, connect_timeout: 2 })
  // -w: never a password prompt (a missing ~/.pgpass would wait on the session's terminal for ever).
  return `${shq(`${bindir.replace(/\/$/, '')}/psql`)} ${shq(target)} -XAtqw -c ${shq(sql)} 2>&1; echo "rc=$?"`
}

/** What upstreamQuery printed: its lines, whether psql succeeded, and otherwise its reason in psql's words. */
export function upstreamAnswer(stdout: string): { ok: boolean; lines: string[]; error: string } {
  const lines = stdout.split('\n')
  const rc = lines.find((l) => /^rc=\d+$/.test(l))
  const error = lines.filter((l) => l !== rc && l.trim() !== '').join('\n').replace(/^psql: error: /, '').trim() || 'no answer'
  return { ok: rc === 'rc=0', lines: lines.filter((l) => l !== rc), error }
}

/**
 * The upstream as this host sees it: the article's step 7 connectivity check, reading what the clone needs.
 * Read ahead with the clone's data directory in one round trip; another host's server (a promotion, a
 * restart) changes what it says, so it is volatile.
 */
export const pgUpstreamFact: FactDef<UpstreamArgs, UpstreamInfo> = {
  name: 'pg_upstream',
  batch: 'joined',
  volatile: true,
  command: (args) => upstreamQuery(args, UPSTREAM_SQL),
  parse(stdout) {
    const { ok, lines, error } = upstreamAnswer(stdout)
    const kv = new Map(lines.filter((l) => /^(sysid|recovery|tli|major)=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]))
    if (!ok || !kv.has('sysid')) return { reachable: false, error }
    return { reachable: true, systemId: kv.get('sysid'), timeline: Number(kv.get('tli')), inRecovery: kv.get('recovery') === 'true', major: Number(kv.get('major')) }
  },
}
