// Every fact definition, by name (fixtures seed facts by name).
import type { FactDef } from './types.js'
import { hostFacts } from './host.js'
// --- package, service, user facts (imports) ---
import { aptInstalledFact, rpmInstalledFact, aptCandidatesFact, yumUpdatesFact, aptCacheAgeFact, debInfoFact, aptSimulateFact } from './package.js'
import { userFact, groupFact } from './user.js'
import { systemdUnitFact, systemdStaleFact } from './service.js'
import { serviceListFact, packageListFact } from './host-inventory.js'
import { homeFact } from './home.js'
import { crontabFact } from './crontab.js'
import { aptSourcesFact } from './apt-sources.js'
import { aptKeysFact, gpgKeyIdFact } from './apt-keys.js'
import { localeStateFact } from './locales.js'
// --- file facts (imports) ---
import { fileFact, slurpFact } from './file.js'
import { treeFact, missingFact, archiveListFact } from './dir.js'
import { authorizedKeysFact } from './authorized-keys.js'
// --- postgres and repmgr facts (imports) ---
import { pgDataDirFact, pgUpstreamFact } from './postgres.js'
import { repmgrNodesFact, repmgrVersionFact } from './repmgr.js'
import { pgClusterFact } from './pg-cluster.js'
import { pgQueryFact } from './pg-query.js'
import { pgTimelineHistoryFact, pgWalSinceFact } from './pg-wal.js'
import { archiveTimelinesFact, pgWalTimelinesFact } from './timeline-files.js'
// --- system settings facts (imports) ---
import { sysctlFact, hostnameFact, timezoneFact, getentFact, selinuxFact } from './system.js'
import { findFact } from './find.js'
import { mountFact } from './mounts.js'
import { pipListFact, pipOutdatedFact } from './pip.js'

const all: FactDef<any, any>[] = [
  hostFacts,
  // --- file facts ---
  fileFact, slurpFact, treeFact, missingFact, archiveListFact, authorizedKeysFact,
  // --- package, service, user facts ---
  aptInstalledFact, rpmInstalledFact, aptCandidatesFact, yumUpdatesFact, aptCacheAgeFact, debInfoFact, aptSimulateFact,
  userFact, groupFact, systemdUnitFact, systemdStaleFact, serviceListFact, packageListFact, homeFact, crontabFact, aptSourcesFact, aptKeysFact, gpgKeyIdFact, localeStateFact,
  // --- postgres and repmgr facts ---
  pgDataDirFact, pgUpstreamFact, repmgrNodesFact, repmgrVersionFact, pgClusterFact, pgQueryFact, pgTimelineHistoryFact, pgWalSinceFact, archiveTimelinesFact, pgWalTimelinesFact,
  // --- system settings facts ---
  sysctlFact, hostnameFact, timezoneFact, getentFact, selinuxFact, findFact, mountFact, pipListFact, pipOutdatedFact,
]

export const facts: ReadonlyMap<string, FactDef<any, any>> = new Map(all.map((f) => [f.name, f]))

export { hostFacts }
export { SETUP_FACT_NAMES, SUBSETS } from './setup.js'
export { factVars, GATHER_SUBSETS } from './setup-vars.js'
// --- file facts (exports) ---
export { fileFact, slurpFact, fileSnippet, parseFileInfo } from './file.js'
export type { FileArgs, FileInfo, FileType, ChecksumAlgorithm, SlurpInfo } from './file.js'
export { treeFact, missingFact, archiveListFact } from './dir.js'
export type { TreeArgs, TreeInfo, MissingInfo } from './dir.js'
export { authorizedKeysFact } from './authorized-keys.js'
export type { AuthorizedKeysInfo } from './authorized-keys.js'
// --- package, service, user facts (exports) ---
export { aptInstalledFact, rpmInstalledFact, aptCandidatesFact, yumUpdatesFact, aptCacheAgeFact, debInfoFact, aptSimulateFact } from './package.js'
export type { InstalledPackages, Candidates, AptOp } from './package.js'
export { userFact, groupFact } from './user.js'
export type { UserInfo, GroupInfo } from './user.js'
export { systemdUnitFact, systemdStaleFact, unitName } from './service.js'
export type { UnitState } from './service.js'
export { serviceListFact, packageListFact } from './host-inventory.js'
export type { ServiceInfo, PackageInfo, PackageListArgs } from './host-inventory.js'
export { homeFact, inHome } from './home.js'
export { crontabFact, type CrontabArgs } from './crontab.js'
export { aptSourcesFact, type AptSourceFile } from './apt-sources.js'
export { aptKeysFact, gpgKeyIdFact, aptKey } from './apt-keys.js'
export { localeStateFact, type LocaleState } from './locales.js'
// --- postgres and repmgr facts (exports) ---
export { pgDataDirFact, pgUpstreamFact } from './postgres.js'
export type { DataDirArgs, DataDirInfo, UpstreamArgs, UpstreamInfo } from './postgres.js'
export { repmgrNodesFact, repmgrVersionFact } from './repmgr.js'
export type { RepmgrArgs, RepmgrInfo, RepmgrNode, RepmgrVersion } from './repmgr.js'
export { pgClusterFact } from './pg-cluster.js'
export type { PgClusterArgs } from './pg-cluster.js'
export { pgQueryFact } from './pg-query.js'
export type { PgQueryArgs, PgQueryValue, PgReadConn } from './pg-query.js'
export { pgTimelineHistoryFact, pgWalSinceFact } from './pg-wal.js'
export type { TimelineHistory, TimelineHistoryArgs, TimelineSwitch, WalRecordCount, WalSince, WalSinceArgs } from './pg-wal.js'
export { archiveTimelinesFact, pgWalTimelinesFact, parseTimelineFiles } from './timeline-files.js'
export type { ArchiveArgs, HistoryFile, PgWalArgs, TimelineFiles, WalDir } from './timeline-files.js'
// --- system settings facts (exports) ---
export { sysctlFact, hostnameFact, timezoneFact, getentFact, selinuxFact } from './system.js'
export type { HostnameInfo, TimezoneInfo, GetentArgs } from './system.js'
export { findFact } from './find.js'
export type { FindArgs, FindInfo, FoundEntry, FoundPath } from './find.js'
export { mountFact, type MountInfo } from './mounts.js'
export { pipListFact, pipOutdatedFact, normalizePipName, type PipArgs, type PipPackages } from './pip.js'
export { FactCache } from './cache.js'
export type { FactDef, FactRead, FactRunner } from './types.js'
