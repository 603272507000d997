#!/usr/bin/env node
// Launcher: runs dist/pgha.cjs, the single-file build of src/ (`npm run build`, which `npm ci` runs through
// `prepare`), from its code cache (see load-bundle.js). A `pgha run` first tries the run server of this build
// (src/persist: pgha's ControlPersist), before the bundle is even read.
import { fileURLToPath } from 'node:url'
import { runOnServer, serverPlan, startServer } from '../dist/persist/client.js'
import { BUNDLE, loadBundle, saveCache } from './load-bundle.js'

const argv = process.argv
if (argv[2] === '__persist') {
  // The run server itself (started by startServer below, detached): serves until idle, then exits.
  await loadBundle().exports.serve(argv[3], Number(argv[4]))
} else {
  const plan = serverPlan(argv, process.env, process.execArgv, BUNDLE)
  const served = plan ? await runOnServer(plan, argv) : 'absent'
  const code = typeof served === 'number' ? served : await runHere()
  // With no server, a run done here leaves one for the next runs (which keep logins from its first run on).
  if (plan && served === 'absent') startServer(plan, fileURLToPath(import.meta.url))
  // The command is done and has closed what it opened: exit once the output is written, rather than wait
  // for every SSH server to close its side of the sessions and for the heap to be torn down (~30 ms).
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)))
}

async function runHere() {
  const pgha = loadBundle()
  const code = await pgha.exports.main(argv)
  // No usable cache (node was upgraded since the build): a successful run leaves one for the next start.
  // A read-only install simply keeps compiling at start. V8 ties a cache to its flags: a run with flags of its
  // own (--max-old-space-size, NODE_OPTIONS) would leave a cache every plain start then rejects.
  const plainNode = process.execArgv.length === 0 && !process.env.NODE_OPTIONS
  if (!pgha.cached && pgha.build && plainNode && argv[2] === 'run' && code === 0) {
    try {
      saveCache(pgha)
    } catch {
      // not writable: nothing lost but speed
    }
  }
  return code
}
