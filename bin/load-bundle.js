// Loads dist/pgha.cjs, the single-file build, with V8's code cache: compiling the ~3 MB bundle at every
// start costs more than the rest of a converged run, and the cache (dist/pgha.cjs.cache, written by the
// build after a training run) holds the bytecode of everything that run compiled, lazily compiled
// functions included. V8 checks only the source's length and its own version and flags, so the cache
// also names the build it was made for (the bundle's last line) and is ignored for any other build.
// CommonJS, as all of bin/ (bin/package.json): see pgha.js.
'use strict'
const { isAscii } = require('node:buffer')
const { accessSync, constants, readFileSync, renameSync, rmSync, writeFileSync } = require('node:fs')
const { createRequire } = require('node:module')
const { dirname, join } = require('node:path')
const { Script } = require('node:vm')

const BUNDLE = join(__dirname, '..', 'dist', 'pgha.cjs')

/** The bundle's last line, written by scripts/bundle.js: `// pgha build <hash of the rest>`. */
const BUILD_LINE = /\/\/ pgha build ([0-9a-f]+)\n$/

/**
 * @typedef {{ exports: { main(argv: string[]): Promise<number>, serve(socket: string, idleSeconds: number): Promise<void> }, script: Script, build: string, cached: boolean }} LoadedBundle
 */

/**
 * Compiles and runs the bundle as CommonJS, from the code cache when one was made for this build.
 * @param {string} file @param {{ useCache?: boolean }} [options] @returns {LoadedBundle}
 */
function loadBundle(file = BUNDLE, { useCache = true } = {}) {
  const bytes = readFileSync(file)
  // The build leaves the bundle pure ASCII (scripts/bundle.js): read as such it is a one-byte string, where
  // UTF-8 decoding costs ~20 ms and any character outside ASCII would make all 4 MB a two-byte string.
  const source = bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8')
  const build = BUILD_LINE.exec(source.slice(-64))?.[1] ?? ''
  const cachedData = useCache && build ? readCache(file, build) : undefined
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${source}\n})`
  const script = new Script(wrapped, { filename: file, cachedData })
  const bundle = { exports: {} }
  script.runInThisContext().call(bundle.exports, bundle.exports, createRequire(file), bundle, file, dirname(file))
  return { exports: /** @type {LoadedBundle['exports']} */ (bundle.exports), script, build, cached: cachedData !== undefined && !script.cachedDataRejected }
}

const cacheFile = (file) => `${file}.cache`
const header = (build) => Buffer.from(`pgha code cache ${build}\n`)

/** @param {string} file @param {string} build @returns {Buffer | undefined} */
function readCache(file, build) {
  let data
  try {
    data = readFileSync(cacheFile(file))
  } catch {
    return undefined
  }
  const h = header(build)
  return data.subarray(0, h.length).equals(h) ? data.subarray(h.length) : undefined
}

/**
 * Writes the cache of what this process has compiled so far, atomically (a temp file renamed into place).
 * @param {LoadedBundle} loaded @param {string} [file]
 */
function saveCache(loaded, file = BUNDLE) {
  const target = cacheFile(file)
  accessSync(dirname(target), constants.W_OK)
  const tmp = `${target}.${process.pid}.tmp`
  try {
    writeFileSync(tmp, Buffer.concat([header(loaded.build), loaded.script.createCachedData()]))
    renameSync(tmp, target)
  } catch (err) {
    rmSync(tmp, { force: true })
    throw err
  }
}

module.exports = { BUNDLE, loadBundle, saveCache }
