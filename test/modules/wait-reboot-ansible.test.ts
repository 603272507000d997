// wait_for_connection and reboot under ansible-playbook and under pgha, on this machine through the local
// connection: the same status, message and result keys per task. Only what is safe here: reboot over a
// local connection is refused by both (it would reboot the controller), and nothing else is rebooted.
import { describe, expect, it } from 'vitest'
import { bothSides, haveAnsible, statuses, type Side } from './ansible-differential.js'

const TASKS = `
    - name: wait
      wait_for_connection: { timeout: 10, connect_timeout: 3 }
    - name: wait in check mode
      wait_for_connection:
      check_mode: true
    - name: reboot the controller
      reboot:
      ignore_errors: true
    - name: reboot the controller in check mode
      reboot: { reboot_timeout: 5 }
      check_mode: true
      ignore_errors: true
`

/**
 * Each task's result keys and values, less what only one tool's json output adds (Ansible's callback its
 * `action` and internal keys, pgha `failed: false`) and the elapsed seconds' value.
 */
function results(side: Side): Record<string, unknown>[] {
  const kept = ([k, v]: [string, unknown]) => !k.startsWith('_ansible') && k !== 'action' && !(k === 'failed' && v === false)
  return side.tasks.map((t) => Object.fromEntries(Object.entries(t.result).filter(kept).map(([k, v]) => [k, k === 'elapsed' ? typeof v : v])))
}

describe.skipIf(!haveAnsible)('wait_for_connection and reboot, as ansible-playbook runs them', () => {
  it('give the same status, messages and result keys over a local connection', async () => {
    const { ansible, pgha } = await bothSides(TASKS)
    expect(statuses(ansible, true)).toEqual([
      'wait: ok',
      'wait in check mode: ok',
      'reboot the controller: failed: Running reboot with local connection would reboot the control node.',
      'reboot the controller in check mode: failed: Running reboot with local connection would reboot the control node.',
    ])
    expect(statuses(pgha, true)).toEqual(statuses(ansible, true))
    expect(results(pgha)).toEqual(results(ansible))
  }, 300_000)
})
