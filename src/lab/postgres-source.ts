// The article's layout on the lab: PostgreSQL built from source (playbooks/tasks/postgres-source.yml) out
// of Debian's upstream tarball, and a cache of that build so the compile is paid once per machine.
//
// The cache is filled only from a node on which the playbook's build task ran: PGHA_LAB_DIR/builds/<key>
// holds a copy of that node's prefix (with the build record the task writes there), <key> being the first
// 16 hex digits of the tarball's SHA-256. Seeding another node copies it into that node's prefix, where
// the playbook finds the record matching its tarball and options and skips the build. A new tarball (or a
// removed cache) means a new key, so the task runs again on a node before anything is cached.
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { parse, stringify } from 'yaml'
import { PghaError } from '../errors.js'
import { ensureDebianSource, upstreamVersionOf } from './debian-source.js'
import { withSharedLock } from './lock.js'
import { removeTree } from './mounts.js'
import type { Log } from './image.js'
import { labPaths, nodePaths } from './paths.js'
import { run } from './run.js'

/** The Debian source package whose upstream tarball the lab builds (bookworm's PostgreSQL). */
export const PG_SOURCE_PACKAGE = 'postgresql-15'

/** Path of bookworm's PostgreSQL 15 upstream tarball (postgresql-15_<version>.orig.tar.bz2), fetched once. */
export function ensurePostgresSource(): Promise<string> {
  return ensureDebianSource({ pkg: PG_SOURCE_PACKAGE })
}

/** The PostgreSQL version a tarball of ensurePostgresSource holds (15.18), from its name. */
export function postgresSourceVersion(tarball: string): string {
  const v = upstreamVersionOf({ pkg: PG_SOURCE_PACKAGE }, basename(tarball))
  if (!v) throw new PghaError('internal', `lab: ${tarball} is not a ${PG_SOURCE_PACKAGE} upstream tarball`)
  return v
}

/** The cache key of a build: the tarball's SHA-256, shortened. */
export function sourceBuildKey(tarball: string): string {
  return createHash('sha256').update(readFileSync(tarball)).digest('hex').slice(0, 16)
}

/** Where a node's file is seen from this machine (the node's mounted root). */
const onNodeRoot = (node: string, path: string): string => join(nodePaths(node).root, path)

/** True when the cache holds a build for `key`. */
export const hasSourceBuild = (key: string): boolean => existsSync(labPaths.build(key))

/**
 * Keeps `prefix` of `node` (where the playbook's build task just ran) as the build of `key`, replacing an
 * older one. Copied beside its final place and renamed, so a half-copied build is never used.
 */
export async function saveSourceBuild(node: string, prefix: string, key: string): Promise<void> {
  const from = onNodeRoot(node, prefix)
  if (!existsSync(join(from, 'bin', 'postgres'))) throw new PghaError('internal', `lab: ${node} has no PostgreSQL build in ${prefix} to cache`)
  await withSharedLock('build', async () => {
    const tmp = `${labPaths.build(key)}.partial`
    await removeTree(tmp)
    mkdirSync(labPaths.builds(), { recursive: true })
    await run('cp', ['-a', '--', from, tmp])
    await removeTree(labPaths.build(key))
    renameSync(tmp, labPaths.build(key))
  })
}

/** Copies the cached build of `key` into `prefix` on each node (replacing what is there); false when none is cached. */
export async function seedSourceBuild(nodes: string[], prefix: string, key: string): Promise<boolean> {
  if (!hasSourceBuild(key)) return false
  for (const node of nodes) {
    const to = onNodeRoot(node, prefix)
    await removeTree(to)
    mkdirSync(join(to, '..'), { recursive: true })
    await run('cp', ['-a', '--', labPaths.build(key), to])
  }
  return true
}

/** The group whose hosts get the article's source layout (inventory/group_vars/lab_source.yml)... */
export const SOURCE_LAYOUT_GROUP = 'lab_source'
/** ...and its pg_prefix there. */
export const SOURCE_LAYOUT_PREFIX = '/usr/local/pgsql'

export interface SourceLayout {
  /** The inventory with the lab's nodes in the source layout. */
  inventory: string
  tarball: string
  /** The build cache key of the tarball. */
  key: string
  /** The nodes that got the cached build (those that had no /usr/local/pgsql yet). */
  seeded: string[]
}

/**
 * The article's layout on a running lab: the tarball fetched, the inventory written, and the cached build
 * (when there is one for this tarball) copied into every node that has no /usr/local/pgsql yet; a node that
 * has one keeps it, as the playbook left it.
 */
export async function labSourceLayout(labInventory: string, nodes: string[], log: Log = () => undefined): Promise<SourceLayout> {
  const tarball = await ensurePostgresSource()
  const inventory = writeSourceLayoutInventory(labInventory, tarball)
  const key = sourceBuildKey(tarball)
  const fresh = nodes.filter((n) => !existsSync(onNodeRoot(n, SOURCE_LAYOUT_PREFIX)))
  const seeded = fresh.length > 0 && (await seedSourceBuild(fresh, SOURCE_LAYOUT_PREFIX, key)) ? fresh : []
  const version = postgresSourceVersion(tarball)
  if (seeded.length > 0) log(`PostgreSQL ${version} from the build cache (${key}) in ${SOURCE_LAYOUT_PREFIX} on ${seeded.join(', ')}`)
  else if (fresh.length > 0) log(`no cached build of PostgreSQL ${version} yet: postgres.yml compiles it on ${fresh.join(', ')}`)
  return { inventory, tarball, key, seeded }
}

/**
 * Writes, beside the lab's inventory (so it shares inventory/group_vars/), the same inventory with every
 * lab node in group lab_source and the tarball's path in pgha_lab_pg_tarball: `inventory/lab<N>-source.yml`.
 */
export function writeSourceLayoutInventory(labInventory: string, tarball: string): string {
  const doc = parse(readFileSync(labInventory, 'utf8')) as LabInventoryDoc
  const lab = doc.all.children.lab
  doc.all.vars.pgha_lab_pg_tarball = tarball
  lab.children = { [SOURCE_LAYOUT_GROUP]: { hosts: Object.fromEntries(Object.keys(lab.hosts).map((h) => [h, null])) } }
  const out = labInventory.replace(/(\.ya?ml)?$/, '-source.yml')
  writeFileSync(out, `# Written by the lab: ${basename(labInventory)}'s nodes in the article's source layout (group ${SOURCE_LAYOUT_GROUP}).\n${stringify(doc, { nullStr: '', lineWidth: 0 })}`)
  return out
}

/** The parts of inventoryText's document this file changes. */
interface LabInventoryDoc {
  all: { vars: Record<string, unknown>; children: { lab: { hosts: Record<string, unknown>; children?: Record<string, unknown> } } }
}
