// A local host whose account and service databases are files in a temp dir: `getent`, `id` and
// `systemctl` stand-ins on the PATH read (and systemctl start/enable write) them, so engine tests can run
// user, group and systemd tasks for real without touching this machine's accounts or needing systemd.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export interface FakeAccounts {
  /** What a play's `environment: { PATH: ... }` must hold for the stand-ins to be found first. */
  path: string
  /** The passwd, group and shadow files and units/ (one `Key=value` file per unit). */
  state: string
}

// As getent: every key given, exit 2 when one is not found.
const GETENT = `[ "$1" = -- ] && shift; db=$1; shift; [ "$1" = -- ] && shift
rc=0; for k do grep -- "^$k:" "$STATE/$db" 2>/dev/null || rc=2; done; exit $rc`

const ID = `flag=$1; shift; [ "$1" = -- ] && shift
gid=$(grep -- "^$1:" "$STATE/passwd" | cut -d: -f4)
[ -n "$gid" ] || { echo "id: '$1': no such user" >&2; exit 1; }
primary=$(awk -F: -v g="$gid" '$3 == g { print $1 }' "$STATE/group")
[ "$flag" = -gn ] && { echo "$primary"; exit 0; }
echo "$primary" $(awk -F: -v u="$1" '{ n = split($4, m, ","); for (i = 1; i <= n; i++) if (m[i] == u) print $1 }' "$STATE/group")`

// show: a block per unit named, blank-line separated, as systemctl prints them.
const SYSTEMCTL = `verb=$1; shift
while [ "$1" = -p ]; do shift 2; done; [ "$1" = -- ] && shift
f="$STATE/units/$1"
case $verb in
  show) sep=; for u do printf "$sep"; sep='\\n'; cat "$STATE/units/$u" 2>/dev/null || printf 'LoadState=not-found\\nActiveState=inactive\\nSubState=dead\\nUnitFileState=\\nNeedDaemonReload=no\\n'; done ;;
  start) sed -i 's/^ActiveState=.*/ActiveState=active/; s/^SubState=.*/SubState=running/' "$f" ;;
  enable) sed -i 's/^UnitFileState=.*/UnitFileState=enabled/' "$f" ;;
  *) echo "systemctl $verb: not faked" >&2; exit 1 ;;
esac`

/** A unit's `systemctl show` properties. */
export const unit = (active: boolean, enabled: boolean): string =>
  `LoadState=loaded\nActiveState=${active ? 'active' : 'inactive'}\nSubState=${active ? 'running' : 'dead'}\nUnitFileState=${enabled ? 'enabled' : 'disabled'}\nNeedDaemonReload=no\n`

/** The stand-ins under `dir`, over the databases given (passwd and group lines, units by name). */
export function fakeAccounts(dir: string, db: { passwd: string[]; group: string[]; units: Record<string, string> }): FakeAccounts {
  const bin = join(dir, 'bin')
  const state = join(dir, 'state')
  mkdirSync(bin, { recursive: true })
  mkdirSync(join(state, 'units'), { recursive: true })
  writeFileSync(join(state, 'passwd'), db.passwd.map((l) => `${l}\n`).join(''))
  writeFileSync(join(state, 'group'), db.group.map((l) => `${l}\n`).join(''))
  writeFileSync(join(state, 'shadow'), '')
  for (const [name, props] of Object.entries(db.units)) writeFileSync(join(state, 'units', name), props)
  for (const [name, body] of Object.entries({ getent: GETENT, id: ID, systemctl: SYSTEMCTL })) {
    writeFileSync(join(bin, name), `#!/bin/sh\nSTATE='${state}'\n${body}\n`)
    chmodSync(join(bin, name), 0o755)
  }
  return { path: `${bin}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`, state }
}
