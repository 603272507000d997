// The CPU time of pgha's run servers (src/persist): a served run's work is done there, not in the process
// /usr/bin/time measures, so the bench adds what the servers of this checkout spent during the run.
// (Ansible's ControlPersist masters, ssh processes of their own, are not counted on its side.)
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

const TICK_MS = 10 // USER_HZ is 100 on Linux

/**
 * User plus system CPU ms of every live `pgha.js __persist` process started from `root`, by pid.
 * @param {string} root @returns {Map<number, number>}
 */
export function serverCpu(root) {
  const bin = join(root, 'bin', 'pgha.js')
  /** @type {Map<number, number>} */
  const cpu = new Map()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'latin1').split('\0')
      const at = cmdline.indexOf(bin)
      if (at < 1 || cmdline[at + 1] !== '__persist') continue
      // Fields after the command name (which may hold spaces): utime and stime are the 14th and 15th.
      const stat = readFileSync(`/proc/${entry}/stat`, 'latin1')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      cpu.set(Number(entry), (Number(fields[11]) + Number(fields[12])) * TICK_MS)
    } catch {
      // gone meanwhile
    }
  }
  return cpu
}

/**
 * CPU ms the servers spent between two readings (a server that started in between counts from zero; one
 * that ended is lost, which a run does not do to the server serving it).
 * @param {Map<number, number>} before @param {Map<number, number>} after
 */
export function serverCpuSpent(before, after) {
  let ms = 0
  for (const [pid, now] of after) ms += now - (before.get(pid) ?? 0)
  return ms
}
