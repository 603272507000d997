// The module registry. Each module lives in its own file and is listed here once, with the collection
// Ansible users know it from: a module answers to its short name, to its FQCN in that collection
// (ansible.builtin.copy, ansible.posix.authorized_key, community.postgresql.postgresql_user), and to the
// other names Ansible routes to it (ansible.builtin.X and ansible.legacy.X for a module that moved out of
// core, community.general.postgresql_user from before the PostgreSQL modules had a collection).
import type { ModuleDef } from './types.js'

// --- file modules ---
import copy from './copy.js'
import template from './template.js'
import file from './file.js'
import lineinfile from './lineinfile.js'
import blockinfile from './blockinfile.js'
import stat from './stat.js'
import slurp from './slurp.js'
import authorizedKey from './authorized-key.js'
import getUrl from './get-url.js'
import unarchive from './unarchive.js'
import knownHosts from './known_hosts.js'
import iniFile from './ini_file.js'
import pamLimits from './pam_limits.js'
// --- command, package, service and control modules ---
import command from './command.js'
import shell from './shell.js'
import raw from './raw.js'
import asyncStatus from './async_status.js'
import pkg from './package.js'
import apt from './apt.js'
import aptRepository from './apt_repository.js'
import aptKey from './apt_key.js'
import deb822Repository from './deb822_repository.js'
import yum from './yum.js'
import dnf from './dnf.js'
import yumRepository from './yum_repository.js'
import user from './user.js'
import group from './group.js'
import systemd from './systemd.js'
import service from './service.js'
import waitFor from './wait_for.js'
import waitForConnection from './wait_for_connection.js'
import reboot from './reboot.js'
import setFact from './set_fact.js'
import includeVars from './include_vars.js'
import assert from './assert.js'
import fail from './fail.js'
import debug from './debug.js'
import validateArgumentSpec from './validate_argument_spec.js'
import pause from './pause.js'
import meta from './meta.js'
import addHost from './add_host.js'
import groupBy from './group_by.js'
import cron from './cron.js'
import localeGen from './locale_gen.js'
import serviceFacts from './service_facts.js'
import packageFacts from './package_facts.js'
// --- postgres and repmgr modules ---
import postgresqlQuery from './postgresql_query.js'
import postgresqlUser from './postgresql_user.js'
import postgresqlDb from './postgresql_db.js'
import postgresqlExt from './postgresql_ext.js'
import postgresqlInfo from './postgresql_info.js'
import postgresqlPgHba from './postgresql_pg_hba.js'
import postgresqlPrivs from './postgresql_privs.js'
import postgresqlSet from './postgresql_set.js'
import postgresqlSlot from './postgresql_slot.js'
import postgresqlSchema from './postgresql_schema.js'
import repmgrNode from './repmgr_node.js'
import pgCluster from './pg_cluster.js'
import pgNodeInfo from './pg_node_info.js'
import pgDivergedTimelines from './pg_diverged_timelines.js'
// --- system modules ---
import ping from './ping.js'
import fetch from './fetch.js'
import sysctl from './sysctl.js'
import replace from './replace.js'
import find from './find.js'
import getent from './getent.js'
import hostname from './hostname.js'
import timezone from './timezone.js'
import uri from './uri.js'
import mount from './mount.js'
import pip from './pip.js'
import git from './git.js'
import rpmKey from './rpm_key.js'
import seport from './seport.js'
import selinux from './selinux.js'
import opensslDhparam from './openssl_dhparam.js'
import assemble from './assemble.js'
import opensshKeypair from './openssh_keypair.js'
import setup from './setup.js'

const all: ModuleDef[] = [
  // --- file modules (list) ---
  copy, template, file, assemble, lineinfile, blockinfile, stat, slurp, authorizedKey, getUrl, unarchive, knownHosts, iniFile, pamLimits,
  // --- command, package, service and control modules (list) ---
  command,
  shell,
  raw,
  asyncStatus,
  pkg,
  apt,
  aptRepository,
  aptKey,
  deb822Repository,
  yum,
  dnf,
  yumRepository,
  user,
  group,
  systemd,
  service,
  waitFor,
  waitForConnection,
  reboot,
  setFact,
  includeVars,
  assert,
  fail,
  debug,
  validateArgumentSpec,
  pause,
  meta,
  addHost,
  groupBy,
  cron,
  localeGen,
  serviceFacts,
  packageFacts,
  // --- postgres and repmgr modules (list) ---
  postgresqlQuery, postgresqlUser, postgresqlDb, repmgrNode, pgCluster, pgNodeInfo, pgDivergedTimelines,
  // --- system modules (list) ---
  ping, fetch, sysctl, replace, find, getent, hostname, timezone, uri, mount, pip, git, rpmKey, seport, selinux, opensslDhparam, opensshKeypair, setup,
  postgresqlExt, postgresqlInfo, postgresqlPgHba, postgresqlPrivs, postgresqlSet, postgresqlSlot, postgresqlSchema,
]

export const modules: ReadonlyMap<string, ModuleDef> = new Map(all.map((m) => [m.name, m]))

/** The collection of each module that is not in ansible.builtin; null for pgha's own, which have none. */
const COLLECTION: Readonly<Record<string, string | null>> = {
  authorized_key: 'ansible.posix',
  locale_gen: 'community.general',
  ini_file: 'community.general',
  pam_limits: 'community.general',
  postgresql_query: 'community.postgresql',
  postgresql_user: 'community.postgresql',
  postgresql_db: 'community.postgresql',
  sysctl: 'ansible.posix',
  mount: 'ansible.posix',
  selinux: 'ansible.posix',
  seport: 'community.general',
  openssl_dhparam: 'community.crypto',
  openssh_keypair: 'community.crypto',
  timezone: 'community.general',
  postgresql_ext: 'community.postgresql',
  postgresql_info: 'community.postgresql',
  postgresql_pg_hba: 'community.postgresql',
  postgresql_privs: 'community.postgresql',
  postgresql_set: 'community.postgresql',
  postgresql_slot: 'community.postgresql',
  postgresql_schema: 'community.postgresql',
  repmgr_node: null,
  pg_cluster: null,
  pg_node_info: null,
  pg_diverged_timelines: null,
}

/** Names Ansible routes to a module besides its own FQCN (its collections' runtime.yml redirects). */
const REDIRECTED_FROM: Readonly<Record<string, readonly string[]>> = {
  'community.postgresql': ['community.general'],
}

/** A module's fully qualified name in the collection Ansible users know it from (its short name for pgha's own). */
export function fqcnOf(name: string): string {
  const collection = name in COLLECTION ? COLLECTION[name] : 'ansible.builtin'
  return collection ? `${collection}.${name}` : name
}

/** Other names Ansible gives a module of its own: ansible.builtin.systemd_service is its systemd. */
const ALSO_NAMED: Readonly<Record<string, readonly string[]>> = {
  systemd: ['systemd_service'],
}

/** Every name each module answers to. */
const byName: ReadonlyMap<string, ModuleDef> = new Map(all.flatMap((m) => {
  const collection = m.name in COLLECTION ? COLLECTION[m.name] : 'ansible.builtin'
  if (collection === null) return [[m.name, m]]
  // ansible.builtin and ansible.legacy route the short names of modules that moved to collections.
  const prefixes = new Set([collection, ...(REDIRECTED_FROM[collection] ?? []), 'ansible.builtin', 'ansible.legacy'])
  return [m.name, ...(ALSO_NAMED[m.name] ?? [])].flatMap((name) => [[name, m], ...[...prefixes].map((p) => [`${p}.${name}`, m] as const)])
}))

/** The module a task names, by its short name or any FQCN Ansible resolves to it. */
export function getModule(name: string): ModuleDef | undefined {
  return byName.get(name)
}

export { defineModule, normalizePlan } from './types.js'
export { ansibleModules, type AnsibleModules, type AnsibleLookup } from './ansible/index.js'
export { libraryFinder, libraryModule, type LibraryFile, type LibraryFinder, type LibraryLookup } from './library/index.js'
export type { ModuleDef, ModuleContext, Change, Plan, TaskResult, HostFacts, InventoryRequest, LocalKind } from './types.js'
