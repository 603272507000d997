#!/usr/bin/env node
// `node bench/templates.js [SRC]`: the cost of rendering a playbook's strings and conditions through
// src/vars (bundled on the fly with esbuild; SRC is another checkout's src/ to compare with), per call,
// for the shapes a converged run renders most: a plain `{{ var }}`, a path inside text, a string without
// a template, a filter, a `when` comparison. Each case is rendered with a warm cache, as a re-run renders
// the same strings thousands of times. Run two sources alternately to compare them; BENCH_JOIN replaces
// the join template (a checkout from before Jinja2 needs `{{join hosts ','}}`).
import { build } from 'esbuild'
import { mkdtempSync, rmSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
// Inside the project, so the bundle's imports of installed packages resolve from node_modules.
const dir = mkdtempSync(join(root, 'bench', '.templates-'))
const out = join(dir, 'vars.mjs')
const src = resolve(process.argv[2] ?? join(root, 'src'))
await build({ entryPoints: [join(src, 'vars/index.ts')], bundle: true, platform: 'node', format: 'esm', outfile: out, packages: 'external', logLevel: 'error' })
let vars
try {
  vars = await import(pathToFileURL(out).href)
} finally {
  rmSync(dir, { recursive: true })
}

const scope = { pg_data: '/var/lib/pgsql/13/data', pg: { port: 5432, version: 13 }, role: 'primary', hosts: ['a', 'b', 'c'] }
const cases = [
  ['plain {{ var }}', () => vars.renderValue('{{ pg_data }}', scope)],
  ['one path {{ a.b }}', () => vars.renderValue('{{ pg.port }}', scope)],
  ['path in text', () => vars.renderValue('{{ pg_data }}/postgresql.conf port={{ pg.port }}', scope)],
  ['no template', () => vars.renderValue('/etc/hosts', scope)],
  ['when comparison', () => vars.evaluateCondition("role == 'primary'", scope)],
  ['a list join', () => vars.renderValue(process.env.BENCH_JOIN ?? "{{ hosts | join(',') }}", scope)],
]
const N = 200_000
for (const [name, fn] of cases) {
  for (let i = 0; i < 10_000; i++) fn()
  const runs = []
  for (let r = 0; r < 5; r++) {
    // CPU time of this process, not wall time: on a shared machine other processes' load stays out of it
    const t0 = process.cpuUsage()
    for (let i = 0; i < N; i++) fn()
    const used = process.cpuUsage(t0)
    runs.push(((used.user + used.system) * 1000) / N)
  }
  runs.sort((a, b) => a - b)
  console.log(`${name.padEnd(18)} ${runs[2].toFixed(0).padStart(6)} ns/call CPU (median of 5 x ${N})`)
}
