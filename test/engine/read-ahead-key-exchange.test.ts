// Read-ahead of the reads a key exchange between hosts makes (the shape of playbooks/ssh-keys.yml): a
// directory, a key made only when missing (a guarded command), the key and the host key read with
// slurp, and each peer's line in a known_hosts file. A converged run reads the first four tasks' facts in
// one batch per host, and a key that changed on a peer since the last run is what its line is rewritten
// with. And the restart decision of playbooks/repmgrd.yml, from two stats read ahead: a configuration
// newer than the PID file written at the last start restarts, an unchanged one does not.
import { utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { localHosts, play, project, type Project } from './harness.js'

const runIn = (p: Project, ...more: string[]) => p.run({ extraVars: [`root=${join(p.dir, 'tree')}`, ...more] })

const KEY_EXCHANGE = `
    - name: key directory
      file: { path: "{{ root }}/{{ inventory_hostname }}/.ssh", state: directory, mode: "0700" }
    - name: key pair (only when missing)
      shell: "printf 'ssh-ed25519 KEY-{{ inventory_hostname }} me@{{ inventory_hostname }}\\\\n' > {{ root }}/{{ inventory_hostname }}/.ssh/id.pub"
      args: { creates: "{{ root }}/{{ inventory_hostname }}/.ssh/id.pub" }
      register: keypair
    - name: public key
      slurp: { src: "{{ root }}/{{ inventory_hostname }}/.ssh/id.pub" }
      register: pubkey
      when: not (ansible_check_mode and keypair is changed)
    - name: host key
      slurp: { src: "{{ root }}/{{ inventory_hostname }}.hostkey" }
      register: hostkey
    - name: the peers' keys
      lineinfile:
        path: "{{ root }}/{{ inventory_hostname }}/.ssh/known_hosts"
        regexp: "^{{ item }} "
        line: "{{ item }} {{ (hostvars[item]['hostkey']['content'] | b64decode).split()[:2] | join(' ') }} {{ hostvars[item].pubkey.content | b64decode | trim }}"
        create: true
      loop: "{{ ansible_play_hosts }}"
      when: item != inventory_hostname and hostvars[item].pubkey.content is defined`

function keyProject(): Project {
  return project(localHosts(['hostA', 'hostB']), {
    'site.yml': play(KEY_EXCHANGE),
    'tree/hostA.hostkey': 'ssh-ed25519 HOSTKEY-A root@hostA\n',
    'tree/hostB.hostkey': 'ssh-ed25519 HOSTKEY-B root@hostB\n',
  })
}

describe('read-ahead of a key exchange between hosts', () => {
  it('reads a converged exchange in two round trips per host: one batch (stats and both slurps in one command), then the peer line', async () => {
    const p = keyProject()
    const first = await runIn(p)
    expect(first.recap.hostA).toMatchObject({ failed: 0, changed: 3 })
    expect(p.read('tree/hostA/.ssh/known_hosts')).toBe('hostB ssh-ed25519 HOSTKEY-B ssh-ed25519 KEY-hostB me@hostB\n')
    const again = await runIn(p)
    expect(again.recap.hostA).toMatchObject({ failed: 0, changed: 0 })
    expect(again.recap.hostB).toMatchObject({ failed: 0, changed: 0 })
    // Run as commands (cat, cut) the same checks cost five: the directory, the guard, each command
    // (which ends the window) and the peer's line.
    expect(again.roundTrips).toBe(2 * 2)
  })

  it("rewrites a peer's line with the host key that peer has now, read in the batch of this run", async () => {
    const p = keyProject()
    await runIn(p)
    writeFileSync(join(p.dir, 'tree/hostB.hostkey'), 'ssh-ed25519 HOSTKEY-B2 root@hostB\n')
    const drift = await runIn(p)
    expect(drift.recap.hostA).toMatchObject({ failed: 0, changed: 1 })
    expect(drift.recap.hostB).toMatchObject({ failed: 0, changed: 0 })
    expect(p.read('tree/hostA/.ssh/known_hosts')).toBe('hostB ssh-ed25519 HOSTKEY-B2 ssh-ed25519 KEY-hostB me@hostB\n')
  })

  it('tells the truth in check mode on a fresh host: the key would be made, its peers skip a key not there yet', async () => {
    const p = keyProject()
    const check = await p.run({ extraVars: [`root=${join(p.dir, 'tree')}`], check: true })
    expect(check.recap.hostA).toMatchObject({ failed: 0 })
    expect(check.results('key pair (only when missing)').hostA.status).toBe('changed')
    expect(check.results('public key').hostA.status).toBe('skipped')
    expect(check.results("the peers' keys").hostA.status).toBe('skipped')
  })
})

const RESTART = `
    - name: configuration, when it last changed
      stat: { path: "{{ root }}/daemon.conf", get_checksum: false }
      register: conf_stat
    - name: PID file, written when the daemon started
      stat: { path: "{{ root }}/daemon.pid", get_checksum: false }
      register: pid_stat
    - name: restarted to read the changed configuration
      shell: "touch {{ root }}/daemon.pid && echo restart >> {{ root }}/restarts"
      when: conf_stat.stat.exists and pid_stat.stat.exists and conf_stat.stat.mtime > pid_stat.stat.mtime`

describe('the restart decision from two stats', () => {
  it('restarts only when the configuration is newer than the PID file', async () => {
    const p = project(localHosts(['hostA']), { 'site.yml': play(RESTART), 'tree/daemon.conf': 'a\n', 'tree/daemon.pid': '1\n' })
    const t = Date.now() / 1000
    utimesSync(join(p.dir, 'tree/daemon.pid'), t, t)
    utimesSync(join(p.dir, 'tree/daemon.conf'), t - 60, t - 60)
    const converged = await runIn(p)
    expect(converged.recap.hostA).toMatchObject({ failed: 0, changed: 0, skipped: 1 })
    utimesSync(join(p.dir, 'tree/daemon.conf'), t + 60, t + 60)
    const changed = await runIn(p)
    expect(changed.recap.hostA).toMatchObject({ failed: 0, changed: 1 })
    expect(p.read('tree/restarts')).toBe('restart\n')
    // The restart wrote a newer PID file: the next run leaves the daemon alone.
    utimesSync(join(p.dir, 'tree/daemon.pid'), t + 120, t + 120)
    expect((await runIn(p)).recap.hostA).toMatchObject({ failed: 0, changed: 0 })
    expect(p.read('tree/restarts')).toBe('restart\n')
  })
})
