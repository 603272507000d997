// async/poll and async_status with the local transport: the job really runs in the background on the host
// (a process of its own, its status in ~/.ansible_async/<jid>), the task waits for it by polling, or with
// poll: 0 goes on at once and a later async_status with until/retries waits for it, as roles do.
import { existsSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigErrors } from '../../src/errors.js'
import { localHosts, play, project } from './harness.js'

const jobFile = (jid: unknown): string => join(homedir(), '.ansible_async', String(jid))

describe('async and poll', () => {
  it('waits for the background job and gives the command\'s result, its job files removed', async () => {
    const p = project(localHosts(['hostA']))
    p.write('site.yml', play(`
    - name: job
      shell: "echo out; echo err >&2; exit 3"
      async: 30
      poll: 1
      register: job
      ignore_errors: true
    - name: shown
      copy: { dest: "${p.dir}/seen", content: "{{ job.rc }} {{ job.stdout }} {{ job.stderr }} {{ job.finished }} {{ job.msg }}" }
`))
    const r = await p.run()
    expect(r.exitCode).toBe(0)
    expect(r.results('job').hostA.status).toBe('ignored')
    expect(p.read('seen')).toBe('3 out err 1 non-zero return code')
    const result = r.results('job').hostA.result
    expect(result.ansible_job_id).toMatch(/^j\d{12}\.\d+$/)
    expect(existsSync(jobFile(result.ansible_job_id))).toBe(false)
  })

  it('with poll: 0 goes on while the job runs; async_status with until waits for it, and cleanup removes its files', async () => {
    const p = project(localHosts(['hostA']))
    p.write('site.yml', play(`
    - name: start
      shell: "while [ ! -e ${p.dir}/go ]; do sleep 0.1; done; echo finished > ${p.dir}/done; echo fine"
      async: 60
      poll: 0
      register: job
    - name: running
      async_status: jid={{ job.ansible_job_id }}
      register: before
    - name: release
      copy: { dest: "${p.dir}/go", content: "" }
    - name: wait
      async_status:
        jid: "{{ job.ansible_job_id }}"
      register: after
      until: after.finished
      retries: 100
      delay: 0.2
    - name: shown
      copy: { dest: "${p.dir}/seen", content: "{{ before.finished }} {{ after.finished }} {{ after.rc }} {{ after.stdout }}" }
    - name: cleanup
      async_status: jid={{ job.ansible_job_id }} mode=cleanup
`))
    const r = await p.run()
    expect(r.exitCode).toBe(0)
    const started = r.results('start').hostA
    expect(started.status).toBe('changed')
    expect(started.result).toMatchObject({ started: 1, finished: 0, results_file: jobFile(started.result.ansible_job_id) })
    expect(p.read('seen')).toBe('0 1 0 fine')
    expect(p.read('done')).toBe('finished\n')
    expect(r.results('cleanup').hostA.status).toBe('ok')
    expect(existsSync(jobFile(started.result.ansible_job_id))).toBe(false)
  })

  it('kills the job and everything it started at its time limit, as Ansible\'s wrapper does', async () => {
    const p = project(localHosts(['hostA']))
    // The job's child would write the file 2 s after the limit: killed with the job, it never does.
    p.write('site.yml', play(`
    - name: slow
      shell: "(sleep 2; touch ${p.dir}/survived) & sleep 30"
      async: 1
      poll: 2
      register: job
      ignore_errors: true
`))
    const r = await p.run()
    const slow = r.results('slow').hostA
    expect(slow.status).toBe('ignored')
    // Killed at 1 s, before the only poll: the job's status says so, as Ansible's does.
    expect(slow.result).toMatchObject({ failed: true, finished: 1, msg: 'Timeout exceeded' })
    await new Promise((resolve) => setTimeout(resolve, 2500))
    expect(existsSync(join(p.dir, 'survived'))).toBe(false)
  })

  it('reports a job that does not exist as Ansible does', async () => {
    const p = project(localHosts(['hostA']))
    p.write('site.yml', play(`
    - name: missing
      async_status: jid=j000000000000.1
`))
    const r = await p.run()
    expect(r.exitCode).toBe(2)
    expect(r.results('missing').hostA.result).toMatchObject({ failed: true, msg: 'could not find job', finished: 1 })
  })

  it('fails an async task in check mode, as Ansible does', async () => {
    const p = project(localHosts(['hostA']))
    p.write('site.yml', play(`
    - name: job
      command: touch ${p.dir}/made
      async: 10
      poll: 1
`))
    const r = await p.run({ check: true })
    expect(r.results('job').hostA.result.msg).toBe('check mode and async cannot be used on same task.')
    expect(existsSync(join(p.dir, 'made'))).toBe(false)
  })

  it('refuses async where Ansible does, poll: 0 on a module that cannot run in the background, and a poll that is not a number, where written', async () => {
    const p = project(localHosts(['hostA']))
    p.write('site.yml', play(`
    - copy: { dest: /tmp/x, content: x }
      async: 10
    - command: "true"
      async: 10
      poll: soon
    - file: { path: /tmp/x, state: touch }
      async: 10
      poll: 0
    - wait_for_connection:
      async: 10
      poll: 2
`))
    const err = await p.run().catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ConfigErrors)
    const text = String((err as Error).message)
    expect(text).toMatch(/site\.yml:8:7: async is not supported for copy, as in Ansible/)
    expect(text).toMatch(/site\.yml:11:13: poll must be a non-negative integer/)
    expect(text).toMatch(/site\.yml:14:13: async with poll: 0 runs command and shell only: pgha cannot leave file running in the background/)
    // Its action plugin refuses async (ansible-core 2.14: "async is not supported for this task."); reboot's takes it.
    expect(text).toMatch(/site\.yml:16:7: async is not supported for wait_for_connection, as in Ansible/)
  })

  it('takes async and poll as templates', async () => {
    const p = project(localHosts(['hostA']))
    p.write('site.yml', play(`
    - name: job
      command: echo templated
      async: "{{ limit }}"
      poll: "{{ every }}"
      register: job
`, '{ limit: 20, every: 1 }'))
    const r = await p.run()
    expect(r.exitCode).toBe(0)
    expect(r.results('job').hostA.result).toMatchObject({ finished: 1, stdout: 'templated', rc: 0 })
  })
})
