#!/usr/bin/env node
// `npm run build`'s second half: bundles src/cli/index.ts and its dependencies into dist/pgha.cjs (one file
// to read and compile instead of ~300 modules resolved one by one), and the run server's client into
// dist/pgha-client.cjs, then trains its code cache
// (scripts/train-code-cache.js). The last line names the build, so a cache made for another is ignored.
import { createHash } from 'node:crypto'
import { execFileSync } from 'node:child_process'
import { mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { build } from 'esbuild'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const out = join(root, 'dist', 'pgha.cjs')

/** ssh2's optional native crypto binding stays a file of the installed ssh2, found from dist/ at run time. */
const nativeBindings = {
  name: 'native-bindings',
  setup(b) {
    b.onResolve({ filter: /sshcrypto\.node$/ }, () => ({ path: 'ssh2/lib/protocol/crypto/build/Release/sshcrypto.node', external: true }))
  },
}

/**
 * pgha uses ssh2's Client only; the package's index also loads its server, key generator and HTTP(S)
 * agents, which pull in node's http, https and tls at every start. An ES module shim: importing anything
 * else from 'ssh2' fails the build instead of being undefined at run time.
 */
const ssh2ClientOnly = {
  name: 'ssh2-client-only',
  setup(b) {
    b.onResolve({ filter: /^ssh2$/ }, () => ({ path: 'ssh2', namespace: 'ssh2-client-only' }))
    b.onLoad({ filter: /.*/, namespace: 'ssh2-client-only' }, () => ({
      contents: "import Client from 'ssh2/lib/client.js'\nexport { Client }\n",
      resolveDir: root,
      loader: 'js',
    }))
  },
}

/**
 * pg asks at load whether it runs on Cloudflare Workers by constructing a fetch Response, which on Node
 * loads the whole fetch implementation: ~20 ms of a run that uses the pg client. pgha runs on Node only.
 * The build fails if pg no longer has the line, rather than quietly keep the cost.
 */
const pgNotCloudflare = {
  name: 'pg-not-cloudflare',
  setup(b) {
    b.onLoad({ filter: /[\\/]pg[\\/]lib[\\/]stream\.js$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8')
      const probe = "if (typeof Response === 'function') {"
      if (!text.includes(probe)) throw new Error(`pg-not-cloudflare: ${args.path} no longer has the Response probe`)
      return { contents: text.replace(probe, 'if (false) {'), loader: 'js' }
    })
  },
}

/**
 * Handlebars builds the code of each template it compiles out of source-map's SourceNode when that package
 * is there, for source maps pgha never asks for (it compiles without `srcName`): a tree of nodes with
 * line and column, walked again into the text. Without it, its own stand-in appends strings and gives the
 * same code; the library is not in the bundle either.
 */
const handlebarsNoSourceMap = {
  name: 'handlebars-no-source-map',
  setup(b) {
    b.onResolve({ filter: /^source-map$/ }, (args) => {
      if (!/[\\/]handlebars[\\/]/.test(args.importer)) throw new Error(`handlebars-no-source-map: ${args.importer} requires source-map too`)
      return { path: 'source-map', namespace: 'handlebars-no-source-map' }
    })
    b.onLoad({ filter: /.*/, namespace: 'handlebars-no-source-map' }, () => ({ contents: 'module.exports = {}\n', loader: 'js' }))
  },
}

/**
 * The module registry (src/modules/index.ts) imports all ~60 modules, and each builds its zod parameter
 * schema when it is evaluated: most of the bundle's start-up work, while a playbook uses a handful. In the
 * bundle each module is evaluated on first use instead: the registry's `import x from './x.js'` becomes a
 * stand-in that knows the module's name (the registry's maps need only that) and loads the module (a
 * `require`, which esbuild turns into a call of that module's lazy initialiser) the first time anything
 * else of it is read. The names come from tsc's output of the same build (dist/modules/, written just
 * before), and each is checked again when its module loads.
 */
const lazyModules = {
  name: 'lazy-modules',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]modules[\\/]index\.ts$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8')
      const imports = [...text.matchAll(/^import (\w+) from '\.\/([\w-]+)\.js'\n/gm)]
      if (imports.length < 10) throw new Error(`lazy-modules: ${args.path} no longer imports its modules one per line`)
      let out = text
      for (const [line, binding, file] of imports) {
        const compiled = join(root, 'dist', 'modules', `${file}.js`)
        const source = join(dirname(args.path), `${file}.ts`)
        if (statSync(compiled).mtimeMs < statSync(source).mtimeMs) throw new Error(`lazy-modules: ${compiled} is older than its source: run \`npm run build\``)
        const { name } = (await import(pathToFileURL(compiled).href)).default
        if (typeof name !== 'string') throw new Error(`lazy-modules: ${compiled} exports no module`)
        out = out.replace(line, `const ${binding}: ModuleDef = lazyModule(${JSON.stringify(name)}, () => require('./${file}.js').default)\n`)
      }
      return { contents: `${out}\n${LAZY_MODULE}`, loader: 'ts', resolveDir: dirname(args.path) }
    })
  },
}

/** The stand-in: every read but `name` goes to the module, loaded on the first one. */
const LAZY_MODULE = `
function lazyModule(name: string, load: () => ModuleDef): ModuleDef {
  let def: ModuleDef | undefined
  const real = (): ModuleDef => {
    if (def) return def
    const loaded = load()
    if (loaded.name !== name) throw new Error(\`the bundle's registry names module \${loaded.name} \${name}: a stale build\`)
    return (def = loaded)
  }
  return new Proxy({} as ModuleDef, {
    get: (_, key) => (key === 'name' ? name : Reflect.get(real(), key)),
    has: (_, key) => Reflect.has(real(), key),
    ownKeys: () => Reflect.ownKeys(real()),
    getOwnPropertyDescriptor: (_, key) => Reflect.getOwnPropertyDescriptor(real(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(real()),
    set: (_, key, value) => Reflect.set(real(), key, value),
    defineProperty: (_, key, desc) => Reflect.defineProperty(real(), key, desc),
    deleteProperty: (_, key) => Reflect.deleteProperty(real(), key),
  })
}
`

/**
 * esbuild escapes every character outside ASCII in the code it writes (strings, regular expressions,
 * identifiers), but copies comments as they are: a dependency's comment with an em dash would make the
 * whole bundle a two-byte string at each start (bin/load-bundle.js reads a pure-ASCII bundle as one byte
 * per character). Each such UTF-16 unit becomes '?', which keeps every column the source map gives. A line
 * where it is not plainly in a comment fails the build instead.
 * @param {Buffer} bytes @returns {Buffer}
 */
function asciiOnly(bytes) {
  const lines = bytes.toString('utf8').split('\n')
  for (const [i, line] of lines.entries()) {
    const at = line.search(/[\u0080-\uffff]/)
    if (at < 0) continue
    const before = line.slice(0, at)
    if (!before.includes('//') && !/^\s*(\/\*|\*)/.test(before)) throw new Error(`bundle line ${i + 1}: a character outside ASCII not in a comment: ${line.slice(0, 120)}`)
    lines[i] = line.replace(/[\u0080-\uffff]/g, '?')
  }
  return Buffer.from(lines.join('\n'), 'latin1')
}

const result = await build({
  absWorkingDir: root,
  entryPoints: ['src/cli/index.ts'],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  write: false,
  outfile: out,
  sourcemap: 'linked',
  // cpu-features is ssh2's optional native helper: required from node_modules when installed.
  external: ['cpu-features'],
  plugins: [nativeBindings, ssh2ClientOnly, pgNotCloudflare, handlebarsNoSourceMap, lazyModules],
  // The source finds pgha's own files from import.meta.url; a CommonJS bundle has only __filename.
  define: { 'import.meta.url': '__pgha_url' },
  banner: { js: `const __pgha_url = require('node:url').pathToFileURL(__filename).href;` },
  logLevel: 'warning',
})

mkdirSync(dirname(out), { recursive: true })
for (const file of result.outputFiles) {
  let bytes = Buffer.from(file.contents)
  if (file.path === out) {
    bytes = asciiOnly(bytes)
    const id = createHash('sha256').update(bytes).digest('hex').slice(0, 16)
    bytes = Buffer.concat([bytes, Buffer.from(`// pgha build ${id}\n`)])
  }
  const tmp = `${file.path}.${process.pid}.tmp`
  writeFileSync(tmp, bytes)
  renameSync(tmp, file.path)
}
// The launcher's client of the run server (src/persist/client.ts), alone and as CommonJS: bin/pgha.js asks a
// server before it reads the bundle, and node's ES module loader would cost more than the rest of a served
// run's start (bin/package.json makes bin/ CommonJS for the same reason).
await build({
  absWorkingDir: root,
  entryPoints: ['src/persist/client.ts'],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  outfile: join(root, 'dist', 'pgha-client.cjs'),
  logLevel: 'warning',
})

rmSync(`${out}.cache`, { force: true })
execFileSync(process.execPath, [join(root, 'scripts', 'train-code-cache.js')], { stdio: ['ignore', 'ignore', 'inherit'] })
