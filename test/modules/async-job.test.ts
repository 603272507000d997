// The background job library on the local transport: a job polled until a limit shorter than its own
// gives Ansible's "did not complete" failure, and its status reads as running until it ends.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { homedir, tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, onTestFinished, vi } from 'vitest'
import { LocalTransport } from '../../src/transport/local.js'
import { createModuleContext } from '../../src/engine/module-context.js'
import { FactCache } from '../../src/facts/cache.js'
import { awaitJob, cleanupJob, jobStatus, startJob } from '../../src/modules/lib/async-job.js'
import { commandLinesWith } from '../transport/command-line-marker.js'

function context() {
  const transport = new LocalTransport({ host: 'local' })
  return createModuleContext({
    host: 'local', transport, facts: new FactCache(), vars: {}, check: false, become: { become: false },
    signal: new AbortController().signal, render: (t) => t, resolveLocal: (_k, p) => p, async: { limit: 30 },
  })
}

describe('async jobs', () => {
  it('polls a running job until the requested time, then fails as Ansible does; the job runs on', async () => {
    const ctx = context()
    const dir = mkdtempSync(join(tmpdir(), 'pgha-async-'))
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
    const job = await startJob(ctx, `while [ ! -e ${dir}/go ]; do sleep 0.1; done`, { limit: 30, cmd: 'wait' })
    const r = await awaitJob(ctx, job.ansible_job_id, 1, 1)
    expect(r).toMatchObject({ failed: true, msg: 'async task did not complete within the requested time - 1s' })
    expect((r.async_result as Record<string, unknown>).finished).toBe(0)
    expect(await jobStatus(ctx, job.ansible_job_id)).toMatchObject({ finished: 0, started: 1 })
    writeFileSync(join(dir, 'go'), '')
    expect(await awaitJob(ctx, job.ansible_job_id, 30, 0.2)).toMatchObject({ finished: 1, rc: 0 })
    await cleanupJob(ctx, job.ansible_job_id)
  })

  it('feeds stdin to the job and gives its output, rc, cmd and times once finished', async () => {
    const ctx = context()
    const job = await startJob(ctx, 'read line; echo "got $line"; exit 4', { stdin: 'input\n', limit: 30, cmd: ['read', 'line'] })
    const r = await awaitJob(ctx, job.ansible_job_id, 30, 0.2)
    expect(r).toMatchObject({ finished: 1, rc: 4, failed: true, stdout: 'got input', stdout_lines: ['got input'], cmd: ['read', 'line'], msg: 'non-zero return code' })
    expect(String(r.delta)).toMatch(/^0:00:\d\d\.\d{6}$/)
    expect(String(r.start)).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/)
    expect(await jobStatus(ctx, job.ansible_job_id)).toMatchObject({ failed: true, msg: 'could not find job' })
  })

  it('keeps the command and its cmd off every command line while the job runs (ps shows them to every user)', async () => {
    const ctx = context()
    const dir = mkdtempSync(join(tmpdir(), 'pgha-async-'))
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
    const marker = `pgha-secret-${Date.now()}`
    const job = await startJob(ctx, `: ${marker}; touch ${dir}/started; while [ ! -e ${dir}/go ]; do sleep 0.05; done`, { limit: 30, cmd: `${marker}-cmd` })
    await vi.waitFor(() => expect(existsSync(join(dir, 'started'))).toBe(true), { timeout: 10_000 })
    expect(commandLinesWith(marker)).toEqual([])
    writeFileSync(join(dir, 'go'), '')
    expect(await awaitJob(ctx, job.ansible_job_id, 30, 0.2)).toMatchObject({ finished: 1, rc: 0, cmd: `${marker}-cmd` })
    // The command's files went with the job's end: only the status and the output stay for async_status.
    expect(existsSync(`${job.results_file.replace(/^~/, homedir())}.cmd`)).toBe(false)
    await cleanupJob(ctx, job.ansible_job_id)
  })
})
