// systemd facts: a unit's load, activity and enablement state in one `systemctl show`, and which loaded
// units systemd says need a daemon-reload (their unit files changed on disk).
import { PghaError } from '../errors.js'
import type { FactDef, FactRunner } from './types.js'
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

// Separate -p flags: systemd 219 (CentOS 7) predates some comma-list parsing fixes.
const showCommand = (units: string[]): string => commandLine('systemctl show', PROPS.map((p) => ['-p', p] as const), units)

/** A name systemctl may read as a pattern, and then show any number of units for: read on its own. */
const PATTERN = /[*?[\]\\]/

/**
 * Many units in one `systemctl show` (a process and a D-Bus round trip each cost ~9 ms on the lab): one
 * block per unit in the order given, blank-line separated. A count of blocks that is not the count of
 * units (a name systemctl refused or escaped), a failure or a pattern-like name leaves them to the single read.
 */
export async function readUnits(list: { name: string }[], run: FactRunner): Promise<(UnitState | undefined)[]> {
  const units = [...new Set(list.map((a) => unitName(a.name)).filter((u) => !PATTERN.test(u)))]
  if (units.length === 0) return list.map(() => undefined)
  const r = await run(showCommand(units))
  const blocks = r.stdout.replace(/\n+$/, '').split(/\n\n/)
  if (r.rc !== 0 || blocks.length !== units.length) return list.map(() => undefined)
  const byUnit = new Map(units.map((u, i) => [u, blocks[i]]))
  return list.map((a) => {
    const block = byUnit.get(unitName(a.name))
    if (block === undefined || !/^LoadState=/m.test(block)) return undefined
    return systemdUnitFact.parse(`${block}\n`, a, 0)
  })
}

export const systemdUnitFact: FactDef<{ name: string }, UnitState> = {
  name: 'systemd_unit',
  batch: readUnits,
  command: ({ name }) => showCommand([unitName(name)]),
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
  batch: 'joined',
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
