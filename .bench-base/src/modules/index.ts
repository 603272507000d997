// The module registry. Each module lives in its own file and is listed here once.
// Ansible's fully qualified names (ansible.builtin.copy) resolve to the same module.
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
// --- command, package, service and control modules ---
import command from './command.js'
import shell from './shell.js'
import pkg from './package.js'
import apt from './apt.js'
import yum from './yum.js'
import user from './user.js'
import group from './group.js'
import systemd from './systemd.js'
import service from './service.js'
import waitFor from './wait_for.js'
import setFact from './set_fact.js'
import assert from './assert.js'
import fail from './fail.js'
import debug from './debug.js'
import pause from './pause.js'
import meta from './meta.js'
// --- postgres and repmgr modules ---
import postgresqlQuery from './postgresql_query.js'
import postgresqlUser from './postgresql_user.js'
import postgresqlDb from './postgresql_db.js'
import repmgrNode from './repmgr_node.js'
import pgCluster from './pg_cluster.js'

const all: ModuleDef[] = [
  // --- file modules (list) ---
  copy, template, file, lineinfile, blockinfile, stat, slurp, authorizedKey, getUrl, unarchive,
  // --- command, package, service and control modules (list) ---
  command,
  shell,
  pkg,
  apt,
  yum,
  user,
  group,
  systemd,
  service,
  waitFor,
  setFact,
  assert,
  fail,
  debug,
  pause,
  meta,
  // --- postgres and repmgr modules (list) ---
  postgresqlQuery, postgresqlUser, postgresqlDb, repmgrNode, pgCluster,
]

export const modules: ReadonlyMap<string, ModuleDef> = new Map(all.map((m) => [m.name, m]))

export function getModule(name: string): ModuleDef | undefined {
  return modules.get(name.replace(/^ansible\.(builtin|posix)\./, ''))
}

export { defineModule, normalizePlan } from './types.js'
export type { ModuleDef, ModuleContext, Change, Plan, TaskResult, HostFacts } from './types.js'
