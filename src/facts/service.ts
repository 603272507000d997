// systemd facts: a unit's load, activity and enablement state in one `systemctl show`, and which loaded
// units systemd says need a daemon-reload (their unit files changed on disk).
import { PghaError } from '../errors.js'
import type { FactDef } from './types.js'
import { commandLine } from '../shell/index.js'

export interface UnitState {
  unit: string
  /** loaded, not-found, masked, error, ... */
  loadState: string
  /** active, inactive, failed, activating, deactivating, reloading */
  activeState: string
  subState: string
  /** enabled, disabled, static, masked, ... ('' when the unit has no file) */
  unitFileState: string
  needDaemonReload: boolean
}

const PROPS = ['LoadState', 'ActiveState', 'SubState', 'UnitFileState', 'NeedDaemonReload']

/** Unit names without a type suffix are services, as systemctl reads them. */
export const unitName = (name: string): string => (/\.[a-z]+$/.test(name) ? name : `${name}.service`)

export const systemdUnitFact: FactDef<{ name: string }, UnitState> = {
  name: 'systemd_unit',
  batch: 'joined',
  // Separate -p flags: systemd 219 (CentOS 7) predates some comma-list parsing fixes.
  command: ({ name }) => commandLine('systemctl show', PROPS.map((p) => ['-p', p] as const), [unitName(name)]),
  parse(stdout, { name }, rc) {
    const kv = new Map(stdout.split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1).trim()]))
    if (rc !== 0 || !kv.has('LoadState')) throw new PghaError('task', `systemctl show ${unitName(name)} failed (rc ${rc}): ${stdout.trim()}`)
    return {
      unit: unitName(name),
      loadState: kv.get('LoadState') ?? '',
      activeState: kv.get('ActiveState') ?? '',
      subState: kv.get('SubState') ?? '',
      unitFileState: kv.get('UnitFileState') ?? '',
      needDaemonReload: kv.get('NeedDaemonReload') === 'yes',
    }
  },
}

/** Loaded units whose files changed since systemd read them. */
export const systemdStaleFact: FactDef<Record<string, never>, string[]> = {
  name: 'systemd_stale',
  command: () =>
    `systemctl show -p Id -p NeedDaemonReload $(systemctl list-units --all --no-legend 2>/dev/null | sed 's/^[^a-zA-Z0-9@_.:-]*//' | awk '{print $1}')`,
  parse(stdout) {
    // One block per unit, separated by blank lines; properties come in systemd's order, not ours.
    return stdout
      .split(/\n\s*\n/)
      .filter((b) => /^NeedDaemonReload=yes$/m.test(b))
      .map((b) => /^Id=(.*)$/m.exec(b)?.[1] ?? '')
      .filter(Boolean)
  },
}
