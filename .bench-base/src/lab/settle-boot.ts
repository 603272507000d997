// sshd answers before the node's boot has finished. Until systemd-user-sessions has run, /run/nologin
// refuses every login but root's (the `deploy` user, postgres between nodes), and under load a unit
// can fail at boot with a transient cgroup error (status=219/CGROUP) and leave it so. A node counts as
// up once its boot is over with no unit failed: failed units are restarted once, then it must hold.
import { PghaError } from '../errors.js'
import { labExec } from './status.js'

const SCRIPT = `systemctl is-system-running --wait >/dev/null 2>&1
failed=$(systemctl --failed --plain --no-legend | awk '{print $1}')
for u in $failed; do systemctl reset-failed "$u"; systemctl restart "$u" || true; done
if [ -e /run/nologin ]; then echo "/run/nologin is still there"; exit 1; fi
state=$(systemctl is-system-running)
[ "$state" = running ] || { echo "system state $state: $(systemctl --failed --plain --no-legend | awk '{print $1}' | tr '\\n' ' ')"; exit 1; }`

export async function settleBoot(nodes: string[]): Promise<void> {
  await Promise.all(nodes.map(async (n) => {
    const r = await labExec(n, SCRIPT, { timeoutMs: 90_000 })
    if (r.rc !== 0) throw new PghaError('internal', `lab: ${n} did not finish booting cleanly: ${r.stdout.trim() || r.stderr.trim()}`)
  }))
}
