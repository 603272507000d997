// Fact gathering shares its round trip with the read-ahead of the play's first tasks, through the engine on
// a local host: a converged play whose tasks read no file contents costs that one round trip in all, what
// depends on a gathered fact is read in the next batch, the gathered facts are those of gathering alone
// (not of the environment the tasks run with), and a host changed since the last run is still repaired.
import { readlinkSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { localHosts, project, type Project } from './harness.js'

/** A play that gathers facts, around `tasks` (each indented by four spaces). */
const gathering = (tasks: string): string => `
- hosts: all
  gather_facts: true
  tasks:
${tasks}`

const runIn = (p: Project) => p.run({ extraVars: [`root=${join(p.dir, 'tree')}`] })

/** Directories, a stat and its link under `when`, packages this machine has: no file content to read. */
const NO_CONTENTS = `
    - name: packages
      package: { name: [coreutils, sed], state: present }
    - name: dirs
      file: { path: "{{ root }}/{{ item }}", state: directory, mode: "0750" }
      loop: [etc, data, log]
    - name: look
      stat: { path: "{{ root }}/etc" }
      register: etc
    - name: link
      file: { src: "{{ root }}/etc", path: "{{ root }}/current", state: link }
      when: etc.stat.exists`

describe('fact gathering with read-ahead', () => {
  it('reads the facts of a converged play that reads no contents in the round trip that gathers facts', async () => {
    const p = project(localHosts(['hostA']), { 'site.yml': gathering(NO_CONTENTS) })
    const first = await runIn(p)
    // The link is made: the directory it points to was read again after the task that created it.
    expect(first.recap.hostA).toMatchObject({ changed: 2, failed: 0 })
    expect(first.results('link').hostA.status).toBe('changed')
    const again = await runIn(p)
    expect(again.recap.hostA).toMatchObject({ ok: 5, changed: 0, failed: 0 })
    expect(again.roundTrips).toBe(1)
  })

  it('repairs a host changed since the last run', async () => {
    const p = project(localHosts(['hostA']), { 'site.yml': gathering(NO_CONTENTS) })
    await runIn(p)
    rmSync(join(p.dir, 'tree/current'))
    rmSync(join(p.dir, 'tree/log'), { recursive: true })
    const drift = await runIn(p)
    expect(drift.recap.hostA).toMatchObject({ changed: 2, failed: 0 })
    expect(readlinkSync(join(p.dir, 'tree/current'))).toBe(join(p.dir, 'tree/etc'))
    expect(statSync(join(p.dir, 'tree/log')).isDirectory()).toBe(true)
    expect((await runIn(p)).recap.hostA).toMatchObject({ changed: 0, failed: 0 })
  })

  it('reads what depends on a gathered fact in the next batch, and gathers facts without the tasks\' environment', async () => {
    const tasks = `
    - environment: { PGHA_PROBE: set for the tasks }
      block:
        - name: base
          file: { path: "{{ root }}", state: directory }
        - name: per host
          file: { path: "{{ root }}/{{ ansible_facts.nodename }}", state: directory }
        - name: a file
          copy: { dest: "{{ root }}/{{ ansible_facts.nodename }}/conf", content: "x\\n" }
        - name: its mode
          file: { path: "{{ root }}/{{ ansible_facts.nodename }}/conf", mode: "0600" }
    - name: gathered without the tasks' environment
      assert: { that: ansible_env.PGHA_PROBE is not defined }`
    const p = project(localHosts(['hostA']), { 'site.yml': gathering(tasks) })
    expect((await runIn(p)).recap.hostA).toMatchObject({ changed: 4, failed: 0 })
    const again = await runIn(p)
    expect(again.recap.hostA).toMatchObject({ ok: 6, changed: 0, failed: 0 })
    // Gathering and the base directory; then the paths named by the host's name with the file's content.
    expect(again.roundTrips).toBe(2)
  })
})
