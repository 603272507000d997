// raw: runs a command line on the host as it is written, through the host's shell (or `executable -c`), as
// Ansible's raw does: no module and no python on the host, which is why roles run it first on a bare host
// (robertdebock.bootstrap installs python with it). The result is the command's rc and its stdout and
// stderr as printed (not stripped, lines split as Python's splitlines splits them); the task is always
// changed, a nonzero rc fails it, and a check run skips it. Unlike Ansible's raw, which warns and ignores
// it, the task's `environment` applies, as to every command pgha runs.
import { z } from 'zod'
import { shq } from '../shell/index.js'
import { defineModule, type TaskResult } from './types.js'
import { absolutePathParam } from './lib/value-kinds.js'
import { forgetFacts } from './lib/command-run.js'
import { splitlines } from '../vars/jinja/filters/strings.js'

const params = z
  .object({
    _raw_params: z.string().min(1).describe("The command line, as the host's shell reads it (free form)."),
    executable: absolutePathParam().optional().describe('Run it with this shell (`executable -c line`), e.g. /bin/bash.'),
  })
  .strict()

export default defineModule({
  name: 'raw',
  description: "Run a command line on the host as written, through its shell, without python (Ansible's raw)",
  params,
  async plan(ctx, p) {
    // Ansible's raw action skips itself in check mode, with no message.
    if (ctx.check) return { changes: [], result: { skipped: true } }
    return { changes: [{ description: `run: ${p._raw_params}` }], unpredictable: true }
  },
  async apply(ctx, p): Promise<Partial<TaskResult>> {
    const r = await ctx.exec(p.executable ? `${shq(p.executable)} -c ${shq(p._raw_params)}` : p._raw_params)
    forgetFacts(ctx)
    const result: Partial<TaskResult> = { changed: true, rc: r.rc, stdout: r.stdout, stdout_lines: splitlines(r.stdout), stderr: r.stderr, stderr_lines: splitlines(r.stderr) }
    if (r.rc !== 0) Object.assign(result, { failed: true, msg: 'non-zero return code' })
    return result
  },
})
