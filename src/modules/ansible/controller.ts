// The controller's Ansible, as pgha reaches it: the python that runs `ansible-playbook` (its `#!` line,
// found on PATH), else /usr/bin/python3, never merely the first `python3` on PATH (a pyenv or virtualenv
// python there usually has no ansible), and the small helper script pgha ships to talk to it
// (scripts/ansible-modules.py: resolving module names, building AnsiballZ payloads).
import { accessSync, constants, closeSync, openSync, readFileSync, readSync } from 'node:fs'
import { homedir } from 'node:os'
import { delimiter, join } from 'node:path'
import { projectRoot } from '../../project-root.js'

/** A command: the interpreter and the words its `#!` line gives it. */
export interface ControllerPython {
  command: string
  args: string[]
  /** The ansible-playbook whose `#!` named it (none: the fallback). */
  of?: string
}

const FALLBACK: ControllerPython = { command: '/usr/bin/python3', args: [] }

function firstLine(path: string): string {
  const fd = openSync(path, 'r')
  try {
    const buf = Buffer.alloc(256)
    const n = readSync(fd, buf, 0, buf.length, 0)
    return buf.subarray(0, n).toString('utf8').split('\n')[0]
  } finally {
    closeSync(fd)
  }
}

/** The `#!` of the first executable ansible-playbook on PATH, read as the kernel reads it (`env X` too). */
export function controllerPython(path = process.env.PATH ?? ''): ControllerPython {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const file = join(dir, 'ansible-playbook')
    try {
      accessSync(file, constants.X_OK)
      const line = firstLine(file)
      if (!line.startsWith('#!')) continue
      const [command, ...args] = line.slice(2).trim().split(/\s+/)
      if (command.endsWith('/env') && args.length > 0) return { command: args[0], args: args.slice(1), of: file }
      return { command, args, of: file }
    } catch {
      continue // not there, or unreadable: the next directory of PATH
    }
  }
  return FALLBACK
}

/** The python and the Ansible it stands for, as errors name them. */
export function describePython(python: ControllerPython): string {
  const command = [python.command, ...python.args].join(' ')
  return python.of ? `the python of ${python.of} (${command})` : `${command} (no ansible-playbook on PATH)`
}

/** The helper script, shipped beside the build. */
export const helperScript = (): string => join(projectRoot(), 'scripts', 'ansible-modules.py')

/** The configuration files Ansible reads, the first found winning (ANSIBLE_CONFIG, ./ansible.cfg, ~/.ansible.cfg, /etc). */
const configFiles = (): string[] => [process.env.ANSIBLE_CONFIG ?? '', 'ansible.cfg', join(homedir(), '.ansible.cfg'), '/etc/ansible/ansible.cfg']

/**
 * Everything besides its arguments that the controller's Ansible answers from: which python, the cwd, the
 * configuration files' texts and the ANSIBLE_* environment. Equal settings, equal answers.
 */
export function ansibleSettings(python: ControllerPython): { python: ControllerPython; cwd: string; config: string[]; env: [string, string | undefined][] } {
  const config = configFiles().map((f) => {
    try {
      return f === '' ? '' : readFileSync(f, 'utf8')
    } catch {
      return ''
    }
  })
  const env = Object.entries(process.env).filter(([k]) => k.startsWith('ANSIBLE_')).sort()
  return { python, cwd: process.cwd(), config, env }
}
