// `pgha lab up|down|status|exec|cut|heal|reset|reboot`: local Debian 12 test hosts (see src/lab/). Every
// subcommand takes --instance N (or PGHA_LAB_INSTANCE), so several labs can run side by side.
import type { Command } from 'commander'
import { MAX_INSTANCE, labCut, labDown, labExec, labHeal, labInstance, labReboot, labReset, labSourceLayout, labStatus, labUp, parseLabInstance } from '../../lab/index.js'
import { exitCodeOf } from '../exit-codes.js'

const list = (v: string): string[] => v.split(',').map((s) => s.trim()).filter(Boolean)
const say = (m: string): void => { process.stdout.write(`lab: ${m}\n`) }

export const INSTANCE_HELP = `lab instance 0..${MAX_INSTANCE}: its own bridge, subnet 10.77.<n>.0/24 and state (default: PGHA_LAB_INSTANCE, else 0)`
export const FORCE_HELP = 'replace a running lab of this instance that is not the one asked for (its nodes and their data go); without it such a lab is left alone'

export const DEFAULT_NODES = 'node1,node2'

/** A flag and its value as the user gave it, for a command line pgha suggests; nothing when left at its default. */
export const given = (flag: string, value: string | undefined, byDefault?: string): string[] =>
  value === undefined || value === byDefault ? [] : [flag, value]

/** The lab reads its instance from the environment everywhere, so the flag becomes the variable. */
export function useInstanceFlag(flag: string | undefined): void {
  if (flag !== undefined) process.env.PGHA_LAB_INSTANCE = String(parseLabInstance(flag, '--instance'))
  else labInstance() // a bad PGHA_LAB_INSTANCE is refused before anything is touched
}

export function register(program: Command): void {
  const lab = program.command('lab').description('Local Debian 12 test hosts: systemd-nspawn containers with their own network, sshd and sudo (root, Linux)')
  lab.hook('preAction', (_lab, action) => useInstanceFlag(action.opts<{ instance?: string }>().instance))
  const sub = (name: string): Command => lab.command(name).option('--instance <n>', INSTANCE_HELP)

  sub('up')
    .description('Boot the lab (building the base image the first time, which takes minutes) and write its inventory')
    .option('--nodes <names>', 'comma-separated node names', DEFAULT_NODES)
    .option('--inventory <path>', 'inventory to write; the known_hosts file goes next to it (default: inventory/lab.yml, inventory/lab<n>.yml for instance n)')
    .option('--witness <node>', 'put this node in group witness instead of standby')
    .option('--force', FORCE_HELP)
    .option('--backup <node>', 'put this node in group backup instead of standby: it keeps the pgBackRest repository (default: the last standby keeps it)')
    .option('--source-layout', "also write <inventory>-source.yml: the article's layout, PostgreSQL built from bookworm's postgresql-15 tarball into /usr/local/pgsql (fresh nodes get the lab's cached build when there is one)")
    .action(async (o: { nodes: string; inventory?: string; witness?: string; backup?: string; force?: boolean; sourceLayout?: boolean }) => {
      const command = ['lab', 'up', ...given('--nodes', o.nodes, DEFAULT_NODES), ...given('--witness', o.witness), ...given('--backup', o.backup), ...given('--inventory', o.inventory)]
      const info = await labUp({ nodes: list(o.nodes), inventory: o.inventory, witness: o.witness, backup: o.backup, force: o.force, command, log: say })
      for (const n of info.nodes) say(`${n.name}\t${n.address}`)
      say(`inventory ${info.inventory}`)
      say(`known_hosts ${info.knownHosts}`)
      say(`ssh -i ${info.key} -o UserKnownHostsFile=${info.knownHosts} root@${info.nodes[0]?.address}`)
      if (o.sourceLayout) say(`source layout inventory ${(await labSourceLayout(info.inventory, info.nodes.map((n) => n.name), say)).inventory}`)
      const where = info.instance ? ` in instance ${info.instance}` : ''
      say(`up${where} in ${(info.elapsedMs / 1000).toFixed(1)} s${info.reused ? ' (reused the running lab)' : ''}`)
    })

  sub('down')
    .description('Stop the nodes and remove their namespaces, mounts, veths and the bridge (the image cache stays)')
    .action(async () => { await labDown(say) })

  sub('status')
    .description('List the nodes and whether each one runs and its sshd answers')
    .action(async () => {
      const nodes = await labStatus()
      if (nodes.length === 0) say(`no lab is up${labInstance() ? ` in instance ${labInstance()}` : ''}`)
      for (const n of nodes) {
        process.stdout.write(`${n.name}\t${n.address}\t${n.running ? `running (pid ${n.pid})` : 'stopped'}\t${n.sshd ? `sshd: ${n.sshd}` : 'sshd: no answer'}\n`)
      }
      if (nodes.some((n) => !n.sshd)) process.exitCode = exitCodeOf('unreachable')
    })

  sub('exec')
    .description('Run a command as root inside a node (through its namespaces, not SSH)')
    .argument('<node>')
    .argument('<cmd...>', 'the command, after --')
    .action(async (node: string, cmd: string[]) => {
      const r = await labExec(node, cmd.length === 1 ? cmd[0]! : cmd)
      process.stdout.write(r.stdout ? `${r.stdout}\n` : '')
      process.stderr.write(r.stderr ? `${r.stderr}\n` : '')
      // The command's own exit code, as ssh passes on the remote command's.
      process.exitCode = r.rc
    })

  sub('cut')
    .description('Cut nodes off the network; with --from, only from those nodes (a partition)')
    .argument('<nodes>', 'comma-separated node names')
    .option('--from <nodes>', 'comma-separated nodes the first ones can no longer reach')
    .action(async (nodes: string, o: { from?: string }) => { await labCut(list(nodes), o.from ? list(o.from) : undefined) })

  sub('heal')
    .description('Undo every cut and partition')
    .action(async () => { await labHeal() })

  sub('reset')
    .description('Put nodes back to the pristine image (same address and host keys)')
    .argument('<nodes>', 'comma-separated node names')
    .action(async (nodes: string) => { await labReset(list(nodes), say) })

  sub('reboot')
    .description("Reboot a node as a server reboots (its disk kept, its enabled units started by its systemd; a cut link stays cut)")
    .argument('<node>')
    .option('--hard', 'kill everything at once instead of shutting down (a crash, a power cut)')
    .action(async (node: string, o: { hard?: boolean }) => { say(`${node} booted: ${await labReboot(node, { hard: o.hard })}`) })
}
