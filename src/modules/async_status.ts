// async_status: the status of a job an `async` task started (lib/async-job.ts), as Ansible's module gives
// it: running (finished 0) or the command's result; mode=cleanup removes the job's files.
import { z } from 'zod'
import { defineModule } from './types.js'
import { cleanupJob, jobStatus, validJid } from './lib/async-job.js'

const params = z
  .object({
    jid: z.union([z.string(), z.number()]).transform(String).refine(validJid, { message: 'a job id such as j123456789012.4242 (letters, digits, . _ -)' })
      .describe('The job id, ansible_job_id of the result an async task registered.'),
    mode: z.enum(['status', 'cleanup']).default('status').describe('status: read the job; cleanup: remove its files.'),
  })
  .strict()

export default defineModule({
  name: 'async_status',
  description: 'Read the status of a job started by an async task (until: job.finished waits for it), or remove its files.',
  params,
  async plan(ctx, p) {
    if (p.mode === 'status') return { changes: [], result: await jobStatus(ctx, p.jid) }
    // As Ansible does, a cleanup that finds no job fails, and one that removes it is not a change.
    const status = await jobStatus(ctx, p.jid)
    if (status.msg === 'could not find job') return { changes: [], result: status }
    return { changes: [{ description: `remove the files of job ${p.jid}` }] }
  },
  async apply(ctx, p) {
    const erased = await cleanupJob(ctx, p.jid)
    return { changed: false, ansible_job_id: p.jid, erased, started: 0, finished: 0, stdout: '', stderr: '', stdout_lines: [], stderr_lines: [] }
  },
})
