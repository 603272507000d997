#!/usr/bin/env node
// Launcher: runs dist/pgha.cjs, the single-file build of src/ (`npm run build`, which `npm ci` runs through
// `prepare`), from its code cache (see load-bundle.js). A `pgha run` first tries the run server of this build
// (src/persist: pgha's ControlPersist), before the bundle is even read. CommonJS, as all of bin/
// (bin/package.json): node's ES module loader costs ~50 ms at start, most of what a served run's client costs.
'use strict'
const { join } = require('node:path')
const { runOnServer, serverPlan, startServer } = require('../dist/pgha-client.cjs')

const BUNDLE = join(__dirname, '..', 'dist', 'pgha.cjs')

async function main(argv) {
  if (argv[2] === '__persist') {
    // The run server itself (started by startServer below, detached): serves until idle, then exits.
    await require('./load-bundle.js').loadBundle(BUNDLE).exports.serve(argv[3], Number(argv[4]))
    return
  }
  const plan = serverPlan(argv, process.env, process.execArgv, BUNDLE)
  const served = plan ? await runOnServer(plan, argv) : 'absent'
  const code = typeof served === 'number' ? served : await runHere(argv)
  // With no server, a run done here leaves one for the next runs (which keep logins from its first run on).
  if (plan && served === 'absent') startServer(plan, __filename)
  // The command is done and has closed what it opened: exit once the output is written, rather than wait
  // for every SSH server to close its side of the sessions and for the heap to be torn down (~30 ms).
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)))
}

async function runHere(argv) {
  const { loadBundle, saveCache } = require('./load-bundle.js')
  const pgha = loadBundle(BUNDLE)
  const code = await pgha.exports.main(argv)
  // No usable cache (node was upgraded since the build): a successful run leaves one for the next start.
  // A read-only install simply keeps compiling at start. V8 ties a cache to its flags: a run with flags of its
  // own (--max-old-space-size, NODE_OPTIONS) would leave a cache every plain start then rejects.
  const plainNode = process.execArgv.length === 0 && !process.env.NODE_OPTIONS
  if (!pgha.cached && pgha.build && plainNode && argv[2] === 'run' && code === 0) {
    try {
      saveCache(pgha, BUNDLE)
    } catch {
      // not writable: nothing lost but speed
    }
  }
  return code
}

main(process.argv).catch((err) => {
  process.stderr.write(`INTERNAL ERROR: ${err?.stack ?? err}\n`)
  process.exit(1)
})
