// What an e2e file needs to run ansible-playbook beside pgha on lab nodes: a child's output, and an
// inventory and ansible.cfg both tools read (root over SSH with the lab's key and strict known_hosts).
import { spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { lab, labExec } from './lab-env.js'

export function spawnCollect(cmd: string, args: string[], env: NodeJS.ProcessEnv, cwd?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(cmd, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString() })
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString() })
    child.on('error', fail)
    child.on('close', (code) => done({ code: code ?? -1, stdout, stderr }))
  })
}

/** Writes `dir`/hosts.yml (the nodes named) and `dir`/ansible.cfg; returns their paths. */
export function writeLabInventory(dir: string, nodes: string[]): { inventory: string; ansibleCfg: string } {
  const inventory = join(dir, 'hosts.yml')
  const hosts = lab.nodes.filter((n) => nodes.includes(n.name)).map((n) => `    ${n.name}: { ansible_host: ${n.address}, ansible_user: root, ansible_ssh_private_key_file: ${lab.key} }`)
  writeFileSync(inventory, [
    'all:',
    '  vars:',
    `    pgha_known_hosts_file: ${lab.knownHosts}`,
    `    ansible_ssh_common_args: -o StrictHostKeyChecking=yes -o UserKnownHostsFile=${lab.knownHosts}`,
    '  hosts:',
    ...hosts,
    '',
  ].join('\n'))
  const ansibleCfg = join(dir, 'ansible.cfg')
  writeFileSync(ansibleCfg, '[defaults]\nretry_files_enabled = False\ninterpreter_python = /usr/bin/python3\n')
  return { inventory, ansibleCfg }
}

/** Installs packages from a node's offline apt cache (the lab has no route to a mirror), then runs `then`. */
export async function offlineInstall(node: string, packages: string[], then = 'true'): Promise<void> {
  const r = await labExec(node, ['sh', '-c', `DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-download ${packages.join(' ')} && ${then}`], { timeoutMs: 300_000 })
  if (r.rc !== 0) throw new Error(`installing ${packages.join(' ')} on ${node}: ${r.stderr}`)
}
