// Running the installed ansible-playbook as the oracle of a differential test: whether it is installed, a
// temporary directory per test, and a run with colours, retry files and the user's Ansible home kept out.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { onTestFinished } from 'vitest'

/** ansible-playbook is on PATH (CI installs Debian's ansible-core). */
export const ansibleInstalled = spawnSync('ansible-playbook', ['--version'], { encoding: 'utf8' }).status === 0

/** The python3 that has ansible-core's modules, if any (Debian's ansible-core installs them for /usr/bin/python3). */
export const ansiblePython = ['python3', '/usr/bin/python3'].find((p) => spawnSync(p, ['-c', 'import ansible.module_utils.common.arg_spec'], { encoding: 'utf8' }).status === 0)

/** Every `ok: [host] => {` result of ansible-playbook's default output, in order: the host and its msg. */
export function ansibleDebugMessages(stdout: string): { host: string; msg: unknown }[] {
  const lines = stdout.split('\n')
  const out: { host: string; msg: unknown }[] = []
  lines.forEach((line, i) => {
    const ok = /^ok: \[([^\]]+)\] => \{$/.exec(line)
    if (!ok) return
    const end = lines.indexOf('}', i)
    out.push({ host: ok[1], msg: (JSON.parse(lines.slice(i, end + 1).join('\n').slice(line.indexOf('{'))) as { msg?: unknown }).msg })
  })
  return out
}

/** A temporary directory removed when the test finishes. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`))
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** ansible-playbook ARGS with its default output (unless `env` names another callback), its temporary files and home under `home`. */
export function ansiblePlaybook(args: string[], home: string, opts: { cwd?: string; env?: Record<string, string> } = {}): SpawnSyncReturns<string> {
  return spawnSync('ansible-playbook', args, {
    encoding: 'utf8',
    cwd: opts.cwd,
    env: {
      ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_FORCE_COLOR: '0', ANSIBLE_PYTHON_INTERPRETER: 'auto_silent', ANSIBLE_RETRY_FILES_ENABLED: '0',
      ANSIBLE_LOCAL_TEMP: join(home, '.tmp'), ANSIBLE_HOME: join(home, '.ansible'), ANSIBLE_STDOUT_CALLBACK: 'default', ...opts.env,
    },
    timeout: 300_000,
  })
}

/** play.yml and hosts.ini written to a fresh temporary directory, and ansible-playbook's run of them there. */
export function ansibleRun(prefix: string, playbookText: string, inventoryText: string): { playbook: string; inventory: string; result: SpawnSyncReturns<string> } {
  const dir = tempDir(prefix)
  const playbook = join(dir, 'play.yml')
  const inventory = join(dir, 'hosts.ini')
  writeFileSync(playbook, playbookText)
  writeFileSync(inventory, inventoryText)
  return { playbook, inventory, result: ansiblePlaybook(['-i', inventory, playbook], dir, { cwd: dir }) }
}
