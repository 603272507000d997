// The settings of ansible.cfg that decide what a playbook means here: `[defaults] roles_path`, `library` and
// `jinja2_extensions`. Ansible
// reads one configuration file, the first that exists of ANSIBLE_CONFIG, ./ansible.cfg, ~/.ansible.cfg and
// /etc/ansible/ansible.cfg; pgha looks next to the playbook before the working directory, since a project
// keeps its ansible.cfg beside its playbooks and pgha is often run from elsewhere. Relative entries of
// roles_path are relative to the file's directory, as Ansible resolves them.
import { existsSync, statSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { readInputFile } from '../../input-file.js'

/** The configuration file Ansible would read for a playbook in `playbookDir`, if any. */
export function ansibleConfigFile(playbookDir: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidates = [
    env.ANSIBLE_CONFIG,
    join(playbookDir, 'ansible.cfg'),
    join(process.cwd(), 'ansible.cfg'),
    join(homedir(), '.ansible.cfg'),
    '/etc/ansible/ansible.cfg',
  ]
  return candidates.find((f): f is string => !!f && existsSync(f) && statSync(f).isFile())
}

/** `[section] key = value` (or `key: value`) of an INI file; `#` and `;` start comments, as configparser reads. */
export function iniValue(text: string, section: string, key: string): string | undefined {
  let current = ''
  let found: string | undefined
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue
    const header = /^\[([^\]]+)\]$/.exec(line)
    if (header) {
      current = header[1].trim()
      continue
    }
    const m = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(line)
    // configparser lets a later assignment win; an inline comment needs whitespace before `;` or `#`.
    if (m && current === section && m[1].toLowerCase() === key) found = m[2].replace(/\s+[;#].*$/, '').trim()
  }
  return found
}

/** `a:b:~/c` as directories: `~` expanded, relative ones against `base`. */
export function pathList(value: string, base: string): string[] {
  return value.split(':').filter((p) => p.trim() !== '').map((p) => {
    const expanded = p.trim().replace(/^~(?=$|\/)/, homedir())
    return resolve(base, expanded)
  })
}

/** A path setting as Ansible reads it: its environment variable, else its key in [defaults] of the configuration file, else its default. */
function configuredPath(playbookDir: string, variable: string, key: string, fallback: string, env: NodeJS.ProcessEnv): string[] {
  const fromEnv = env[variable]
  if (fromEnv !== undefined && fromEnv !== '') return pathList(fromEnv, process.cwd())
  const cfg = ansibleConfigFile(playbookDir, env)
  const value = cfg === undefined ? undefined : iniValue(readInputFile(cfg), 'defaults', key)
  if (cfg !== undefined && value !== undefined) return pathList(value, dirname(resolve(cfg)))
  return pathList(fallback, process.cwd())
}

/** Ansible's DEFAULT_ROLES_PATH: ANSIBLE_ROLES_PATH, else roles_path of the configuration file, else its default. */
export function configuredRolesPath(playbookDir: string, env: NodeJS.ProcessEnv = process.env): string[] {
  return configuredPath(playbookDir, 'ANSIBLE_ROLES_PATH', 'roles_path', '~/.ansible/roles:/usr/share/ansible/roles:/etc/ansible/roles', env)
}

/** Ansible's DEFAULT_MODULE_PATH: ANSIBLE_LIBRARY, else `library` of the configuration file, else its default. */
export function configuredLibraryPath(playbookDir: string, env: NodeJS.ProcessEnv = process.env): string[] {
  return configuredPath(playbookDir, 'ANSIBLE_LIBRARY', 'library', '~/.ansible/plugins/modules:/usr/share/ansible/plugins/modules', env)
}

/** Ansible's DEFAULT_JINJA2_EXTENSIONS: ANSIBLE_JINJA2_EXTENSIONS, else jinja2_extensions of the configuration file; none by default. */
export function configuredJinjaExtensions(playbookDir: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const cfg = ansibleConfigFile(playbookDir, env)
  const value = env.ANSIBLE_JINJA2_EXTENSIONS ?? (cfg === undefined ? undefined : iniValue(readInputFile(cfg), 'defaults', 'jinja2_extensions'))
  return (value ?? '').split(',').map((x) => x.trim()).filter((x) => x !== '')
}
