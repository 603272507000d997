// Which python runs a program pgha sends to a host (uri's request, a playbook's own Python module): the
// host's `ansible_python_interpreter` when the inventory sets one, else the first of the interpreters
// Ansible's discovery and pgha's gathered facts look for, in their order.
import { shqAlways } from '../../shell/index.js'

/** How the script's failure starts, so that a result can say it instead of "MODULE FAILURE". */
export const NO_PYTHON = 'no python'

/** Ansible's discovery order, as facts/setup.ts reports the python too. */
const CANDIDATES = ['/usr/bin/python3', 'python3', '/usr/libexec/platform-python']

/** The inventory's interpreter for the host, unless it asks for discovery (`auto`, `auto_silent`, ...). */
export function configuredPython(vars: Record<string, unknown>): string | undefined {
  let chosen: unknown
  try {
    chosen = vars.ansible_python_interpreter
  } catch {
    return undefined // a template that cannot be rendered: discovery, as with none
  }
  return typeof chosen === 'string' && chosen !== '' && !chosen.startsWith('auto') ? chosen : undefined
}

/**
 * sh text that sets `$py` to the python to use, or fails with exit 127 and `who` needs python3 on the
 * host. The script then runs "$py" as it needs.
 */
export function findPython(vars: Record<string, unknown>, who: string): string {
  const configured = configuredPython(vars)
  const candidates = configured === undefined ? CANDIDATES.join(' ') : shqAlways(configured)
  const looked = configured === undefined ? `none of ${CANDIDATES.join(', ')} is there (or set ansible_python_interpreter)` : `ansible_python_interpreter ${configured} is not there`
  return [
    `py=; for p in ${candidates}; do if command -v "$p" >/dev/null 2>&1; then py=$p; break; fi; done`,
    `if [ -z "$py" ]; then echo ${shqAlways(`${NO_PYTHON}: ${who} needs python3 on the host: ${looked}`)} >&2; exit 127; fi`,
  ].join('\n')
}
