// An async job started over SSH outlives the SSH session: the connection closes and the sshd serving it is
// killed while the job still runs, and the job finishes on the host and leaves its status for async_status.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LocalTransport, SshTransport } from '../../src/transport/index.js'
import type { Transport } from '../../src/transport/types.js'
import { createModuleContext } from '../../src/engine/module-context.js'
import { FactCache } from '../../src/facts/cache.js'
import { cleanupJob, jobStatus, startJob } from '../../src/modules/lib/async-job.js'
import { haveSshd, startSshd, type TestSshd } from './sshd.js'

const contextOn = (transport: Transport) => createModuleContext({
  host: transport.host, transport, facts: new FactCache(), vars: {}, check: false, become: { become: false },
  signal: new AbortController().signal, render: (t) => t, resolveLocal: (_k, p) => p, async: { limit: 60 },
})

describe.skipIf(!haveSshd)('an async job over SSH', () => {
  let sshd: TestSshd
  let dir: string
  beforeAll(async () => {
    sshd = await startSshd()
    dir = mkdtempSync(join(tmpdir(), 'pgha-ssh-async-'))
  })
  afterAll(() => {
    sshd?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  it('runs on after the session ends and its sshd is killed, and its status is read afterwards', async () => {
    const ssh = new SshTransport(sshd.spec())
    await ssh.connect()
    // The job waits for the session to be gone before it writes anything.
    const job = await startJob(contextOn(ssh), `while [ ! -e ${dir}/gone ]; do sleep 0.1; done; echo survived > ${dir}/mark; echo done`, { limit: 60, cmd: 'job' })
    await ssh.close()
    sshd.kill()
    expect(existsSync(`${dir}/mark`)).toBe(false)
    const local = contextOn(new LocalTransport({ host: 'local' }))
    await local.exec(`touch ${dir}/gone`)
    let status = await jobStatus(local, job.ansible_job_id)
    for (let i = 0; i < 100 && status.finished !== 1; i++) {
      await local.sleep(100)
      status = await jobStatus(local, job.ansible_job_id)
    }
    expect(status).toMatchObject({ finished: 1, rc: 0, stdout: 'done', failed: false })
    expect(readFileSync(`${dir}/mark`, 'utf8')).toBe('survived\n')
    await cleanupJob(local, job.ansible_job_id)
  })
})
