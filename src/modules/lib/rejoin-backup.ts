// The copy a rejoin keeps before pg_rewind discards what a node wrote after its timeline left the
// primary's: the whole data directory (a server can be started on it to take the rows back), the
// pg_waldump listing of the diverged WAL, and a README saying what it is. Made on the stopped server only,
// and only when the file system holding the copy has room for it.
import { shq } from '../../shell/index.js'

export interface RejoinBackup {
  host: string
  dataDirectory: string
  bindir: string
  /** The directory the copies go into; this one is `<dir>/<host>-<YYYYmmddTHHMMSS>`. */
  dir: string
  /** What is discarded, as the refusal said it (bytes of WAL, records). */
  amount: string
  /** The whole reason, for the README. */
  why: string
  /** The diverged WAL to list with pg_waldump, when it is known where it starts. */
  wal?: { timeline: number; start: string }
}

/** The shell command (run as the server's user) that makes the copy and prints its directory last. */
export function backupCommand(b: RejoinBackup): string {
  const bin = b.bindir.replace(/\/$/, '')
  const readme = [
    `A copy of ${b.host}'s data directory ${b.dataDirectory}, kept by pgha before repmgr node rejoin --force-rewind discarded`,
    `what ${b.host} wrote after its timeline diverged from the primary's: ${b.amount}.`,
    `Why: ${b.why}.`,
    `data/ is the data directory as it was (start a server on a copy of it, on another port, to take rows back);`,
    `waldump.txt lists the diverged WAL records.`,
  ].join('\n')
  const waldump = b.wal
    ? `${shq(`${bin}/pg_waldump`)} --path="$d/pg_wal" --timeline=${b.wal.timeline} --start=${shq(b.wal.start)} > "$dir/waldump.txt" 2>&1 || true`
    : `echo 'where the WAL diverged is not known: see data/pg_wal' > "$dir/waldump.txt"`
  return [
    'set -e',
    `d=${shq(b.dataDirectory.replace(/\/$/, ''))}; base=${shq(b.dir.replace(/\/$/, ''))}`,
    `if ${shq(`${bin}/pg_ctl`)} status -D "$d" >/dev/null 2>&1; then echo "the server on $d is running: a copy needs it stopped" >&2; exit 1; fi`,
    'mkdir -p "$base" && chmod 0700 "$base"',
    `dir="$base/${b.host}-$(date +%Y%m%dT%H%M%S)"`,
    `need=$(du -sk "$d" | cut -f1); free=$(df -Pk "$base" | awk 'NR == 2 { print $4 }')`,
    'if [ "$free" -le $((need + need / 10)) ]; then echo "no room for a copy of $d in $base: $need KiB needed, $free KiB free" >&2; exit 1; fi',
    'mkdir "$dir" && cp -a "$d" "$dir/data"',
    waldump,
    `printf '%s\\n' ${shq(readme)} > "$dir/README"`,
    'echo "$dir"',
  ].join('\n')
}
