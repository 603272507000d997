#!/usr/bin/env node
// Launcher: runs dist/pgha.cjs, the single-file build of src/ (`npm run build`, which `npm ci` runs through
// `prepare`), from its code cache (see load-bundle.js).
import { loadBundle, saveCache } from './load-bundle.js'

const pgha = loadBundle()
const code = await pgha.exports.main(process.argv)
// No usable cache (node was upgraded since the build): a successful run leaves one for the next start.
// A read-only install simply keeps compiling at start. V8 ties a cache to its flags: a run with flags of its
// own (--max-old-space-size, NODE_OPTIONS) would leave a cache every plain start then rejects.
const plainNode = process.execArgv.length === 0 && !process.env.NODE_OPTIONS
if (!pgha.cached && pgha.build && plainNode && process.argv[2] === 'run' && code === 0) {
  try {
    saveCache(pgha)
  } catch {
    // not writable: nothing lost but speed
  }
}
// The command is done and has closed what it opened: exit once the output is written, rather than wait
// for every SSH server to close its side of the sessions and for the heap to be torn down (~30 ms).
process.stdout.write('', () => process.stderr.write('', () => process.exit(code)))
