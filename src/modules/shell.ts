// shell: runs a command line through a shell (pipes, redirections, variables). Check mode as for command.
import { z } from 'zod'
import { shq } from '../shell/index.js'
import { defineModule } from './types.js'
import { guardReads, planRun, runCommand, runParams } from './lib/command-run.js'
import { absolutePathParam } from './lib/value-kinds.js'

const params = z
  .object({
    cmd: z.string().min(1).describe('The command line, run by the shell (free form).'),
    executable: absolutePathParam().optional().describe('The shell to run it with, e.g. /bin/bash (default: /bin/sh).'),
    ...runParams,
  })
  .strict()

export default defineModule({
  name: 'shell',
  description: 'Run a command line through a shell on the host.',
  params,
  reads: guardReads,
  runsAsync: true,
  plan: (ctx, p) => planRun(ctx, p, p.cmd),
  apply: (ctx, p) => runCommand(ctx, p.executable ? `${shq(p.executable)} -c ${shq(p.cmd)}` : p.cmd, p, p.cmd),
})
