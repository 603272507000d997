// `pgha lab up|down|status|exec|cut|heal|reset`: local Debian 12 test hosts (see src/lab/). Every
// subcommand takes --instance N (or PGHA_LAB_INSTANCE), so several labs can run side by side.
import type { Command } from 'commander'
import { MAX_INSTANCE, labCut, labDown, labExec, labHeal, labInstance, labReset, labStatus, labUp, parseLabInstance } from '../../lab/index.js'

const list = (v: string): string[] => v.split(',').map((s) => s.trim()).filter(Boolean)
const say = (m: string): void => { process.stdout.write(`lab: ${m}\n`) }

export function register(program: Command): void {
  const lab = program.command('lab').description('Local Debian 12 test hosts: systemd-nspawn containers with their own network, sshd and sudo (root, Linux)')
  // The lab reads its instance from the environment everywhere, so the flag becomes the variable.
  lab.hook('preAction', (_lab, action) => {
    const flag = action.opts<{ instance?: string }>().instance
    if (flag !== undefined) process.env.PGHA_LAB_INSTANCE = String(parseLabInstance(flag, '--instance'))
    else labInstance() // a bad PGHA_LAB_INSTANCE is refused before anything is touched
  })
  const sub = (name: string): Command => lab.command(name)
    .option('--instance <n>', `lab instance 0..${MAX_INSTANCE}: its own bridge, subnet 10.77.<n>.0/24 and state (default: PGHA_LAB_INSTANCE, else 0)`)

  sub('up')
    .description('Boot the lab (building the base image the first time, which takes minutes) and write its inventory')
    .option('--nodes <names>', 'comma-separated node names', 'node1,node2')
    .option('--inventory <path>', 'inventory to write; the known_hosts file goes next to it (default: inventory/lab.yml, inventory/lab<n>.yml for instance n)')
    .option('--witness <node>', 'put this node in group witness instead of standby')
    .action(async (o: { nodes: string; inventory?: string; witness?: string }) => {
      const info = await labUp({ nodes: list(o.nodes), inventory: o.inventory, witness: o.witness, log: say })
      for (const n of info.nodes) say(`${n.name}\t${n.address}`)
      say(`inventory ${info.inventory}`)
      say(`known_hosts ${info.knownHosts}`)
      say(`ssh -i ${info.key} -o UserKnownHostsFile=${info.knownHosts} root@${info.nodes[0]?.address}`)
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
      if (nodes.some((n) => !n.sshd)) process.exitCode = 4
    })

  sub('exec')
    .description('Run a command as root inside a node (through its namespaces, not SSH)')
    .argument('<node>')
    .argument('<cmd...>', 'the command, after --')
    .action(async (node: string, cmd: string[]) => {
      const r = await labExec(node, cmd.length === 1 ? cmd[0]! : cmd)
      process.stdout.write(r.stdout ? `${r.stdout}\n` : '')
      process.stderr.write(r.stderr ? `${r.stderr}\n` : '')
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
}
