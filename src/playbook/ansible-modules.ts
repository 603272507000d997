// A load that may name modules only the controller's Ansible has: the files are read once, collecting
// the names pgha lacks; when there were any, Ansible is asked about all of them at once (one python
// process, or the disk cache) and the files are read again with the answers. A second read, rather than
// patching the first, keeps one path for every error, warning and dynamic-include rule of the loader.
import type { LoadOptions } from './types.js'

export function withAnsibleModules<T>(opts: Pick<LoadOptions, 'ansibleModule'>, load: () => T): T {
  const first = load()
  return opts.ansibleModule?.settle() ? load() : first
}
