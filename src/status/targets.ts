// The input side of `pgha status`: the inventory, -e and --limit checked like `pgha run` checks them (all
// problems at once, exit 1, nothing contacted), then for each cluster host its connection and pg session,
// built from its variables exactly as a run would see them outside any play.
import { collectConfigErrors, ConfigError, ConfigErrors, registerSource } from '../errors.js'
import { applyCommandLineDefaults, hostConnectionSpec, resolveTemplatedVars, withCommandLineConnection } from '../engine/index.js'
import { ansibleBool, becomeSpec, checkPattern, loadInventory, selectHosts, type Inventory, type InventoryHost, type Vars } from '../inventory/index.js'
import { secretValues } from '../secrets/index.js'
import { buildHostVars, magicVars, parseExtraVars } from '../vars/index.js'
import type { StatusTarget } from './probe.js'

/** The groups `pgha status` looks at: the shipped playbooks' cluster. */
export const CLUSTER_GROUPS = ['primary', 'standby', 'witness'] as const

export interface StatusOptions {
  inventory: string
  limit?: string
  /** Raw -e values. */
  extraVars?: string[]
  acceptNewHostKeys?: boolean
  connectTimeoutMs?: number
  /** The become password given outside the command line: every node's default, as for `pgha run`. */
  becomePassword?: string
  /** -u: the login user where no variable names one, as for `pgha run` (no play keyword here to outrank it). */
  remoteUser?: string
  /** --private-key: every node's key where no variable names one, as for `pgha run`. */
  privateKeyFile?: string
}

export interface StatusTargets {
  targets: StatusTarget[]
  /** Values to scrub from anything printed (become passwords and the like). */
  secrets: string[]
}

export function statusTargets(o: StatusOptions): StatusTargets {
  const { errors, attempt } = collectConfigErrors()
  const extra = attempt(() => parseExtraVars(o.extraVars ?? [])) ?? {}
  const inventory = attempt(() => loadInventory(o.inventory))
  if (inventory) applyCommandLineDefaults(inventory, { becomePassword: o.becomePassword, privateKeyFile: o.privateKeyFile })
  const hosts = inventory ? attempt(() => clusterHosts(inventory, o.limit)) : undefined
  const targets = inventory && hosts ? hosts.map((h) => attempt(() => targetOf(inventory, h, hosts, extra, o))) : []
  if (errors.length > 0) throw new ConfigErrors(errors)
  const secrets = new Set(targets.flatMap((t) => t!.secrets))
  return { targets: targets.map((t) => t!.target), secrets: [...secrets] }
}

/** Hosts of the cluster groups in inventory order, narrowed by --limit. */
function clusterHosts(inv: Inventory, limit: string | undefined): InventoryHost[] {
  let names = [...inv.hosts.values()].filter((h) => h.groups.some((g) => (CLUSTER_GROUPS as readonly string[]).includes(g))).map((h) => h.name)
  if (names.length === 0) throw new ConfigError(`${inv.source}: no host in the groups ${CLUSTER_GROUPS.join(', ')}: nothing to show`)
  if (limit !== undefined) {
    registerSource('--limit', limit)
    const err = checkPattern(inv, limit, { file: '--limit', line: 1, col: 1 })
    if (err) throw err
    const allowed = new Set(selectHosts(inv, limit))
    names = names.filter((n) => allowed.has(n))
    if (names.length === 0) throw new ConfigError(`--limit '${limit}' selects no host of the groups ${CLUSTER_GROUPS.join(', ')}`, { file: '--limit', line: 1, col: 1 })
  }
  return names.map((n) => inv.hosts.get(n)!)
}

function targetOf(inv: Inventory, h: InventoryHost, hosts: InventoryHost[], extra: Vars, o: StatusOptions): { target: StatusTarget; secrets: string[] } {
  const vars = resolveTemplatedVars(buildHostVars({
    inventory: h.vars, facts: {}, play: {}, varsFiles: {}, registered: {}, extra,
    magic: magicVars(inv, h.name, hosts.map((x) => x.name), false),
  }))
  const read = (name: string): unknown => {
    try {
      return vars[name]
    } catch (err) {
      throw new ConfigError(`${h.name}: variable '${name}': ${(err as Error).message}`, h.loc)
    }
  }
  const text = (name: string, fallback: string): string => {
    const v = read(name)
    return v === undefined || v === null || v === '' ? fallback : String(v)
  }
  const port = Number(read('pg_port') ?? 5432)
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new ConfigError(`${h.name}: pg_port must be a port number (1-65535), got ${JSON.stringify(read('pg_port'))}`, h.loc)
  const user = text('postgres_user', 'postgres')
  const spec = hostConnectionSpec(h, withCommandLineConnection(vars, o), o)
  const bindir = read('pg_bindir')
  const nodeId = read('repmgr_node_id')
  const enabled = read('repmgrd_enabled')
  const pgbackrest = backupsOf(inv, h, read)
  const maxLag = read('pgha_status_max_lag_bytes')
  if (maxLag !== undefined && !(Number.isInteger(Number(maxLag)) && Number(maxLag) > 0)) {
    throw new ConfigError(`${h.name}: pgha_status_max_lag_bytes must be a positive number of bytes, got ${JSON.stringify(maxLag)}`, h.loc)
  }
  const target: StatusTarget = {
    host: h.name,
    spec,
    pg: {
      user, database: text('repmgr_db', 'repmgr'), port,
      ...(typeof bindir === 'string' && bindir !== '' ? { bindir } : {}),
      connectTimeoutMs: 5000,
    },
    // psql runs as postgres_user, which peer authentication lets in on any fresh server.
    become: { ...becomeSpec(vars), become: spec.user !== user, user },
    addresses: [...new Set([h.name, spec.address, text('repmgr_conninfo_host', h.name)])],
    witness: h.groups.includes('witness'),
    repmgrdExpected: enabled === undefined ? false : ansibleBool(enabled, 'repmgrd_enabled'),
    service: text('pg_service', 'pgserver'),
    ...(maxLag !== undefined ? { maxLagBytes: Number(maxLag) } : {}),
    ...(nodeId !== undefined && Number.isInteger(Number(nodeId)) ? { nodeId: Number(nodeId) } : {}),
    ...(pgbackrest ? { pgbackrest } : {}),
  }
  return { target, secrets: secretValues(vars) }
}

/** A data node's backups, expected when the inventory names a pgBackRest repository host (group backup). */
function backupsOf(inv: Inventory, h: InventoryHost, read: (name: string) => unknown): StatusTarget['pgbackrest'] {
  const repository = inv.groups.get('backup')?.hosts ?? []
  if (repository.length === 0 || !h.groups.some((g) => g === 'primary' || g === 'standby')) return undefined
  const stanza = read('pgbackrest_stanza')
  const maxAge = Number(read('pgbackrest_backup_max_age_hours') ?? 26)
  if (!Number.isFinite(maxAge) || maxAge <= 0) {
    throw new ConfigError(`${h.name}: pgbackrest_backup_max_age_hours must be a positive number of hours, got ${JSON.stringify(read('pgbackrest_backup_max_age_hours'))}`, h.loc)
  }
  const bin = read('pgbackrest_bin')
  return {
    bin: typeof bin === 'string' && bin !== '' ? bin : 'pgbackrest',
    expected: { stanza: typeof stanza === 'string' && stanza !== '' ? stanza : 'pgha', maxAgeHours: maxAge },
  }
}
