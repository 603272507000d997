// The repmgr source tarball for the playbooks that build repmgr from source (Debian's upstream tarball).
import { ensureDebianSource } from './debian-source.js'

export const REPMGR_VERSION = '5.3.3'

/** Path of the upstream repmgr 5.3.3 tarball (Debian's .orig.tar.gz), downloaded once for every instance. */
export function ensureRepmgrSource(): Promise<string> {
  return ensureDebianSource({ pkg: 'repmgr', version: REPMGR_VERSION })
}
