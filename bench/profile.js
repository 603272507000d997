#!/usr/bin/env node
// `node bench/profile.js PLAYBOOK -i INVENTORY [-f FORKS] [-e VARS]`: one pgha run in this process (built
// dist/), reporting per task the engine-side median duration and the round trips each host made, so the
// cost of a task can be traced to its commands. Add `node --cpu-prof` for a CPU profile of the same run.
import { parseArgs } from 'node:util'
import { runPlaybook } from '../dist/engine/index.js'
import { openTransport } from '../dist/transport/index.js'
import { median } from './lib/stats.js'

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { inventory: { type: 'string', short: 'i' }, forks: { type: 'string', short: 'f', default: '20' }, extra: { type: 'string', short: 'e', multiple: true } },
})
if (!positionals[0] || !values.inventory) {
  process.stderr.write('usage: node bench/profile.js PLAYBOOK -i INVENTORY [-f FORKS] [-e VARS]\n')
  process.exit(1)
}

/** Round trips per host since its current task started. */
const trips = new Map()
/** task name -> { ms: number[], trips: number[], tripMs: number[] } */
const tasks = new Map()
const entry = (name) => tasks.get(name) ?? tasks.set(name, { ms: [], trips: [], tripMs: [] }).get(name)

const started = performance.now()
const summary = await runPlaybook({
  playbook: positionals[0], inventory: values.inventory, forks: Number(values.forks), extraVars: values.extra ?? [],
  openTransport: (spec) => openTransport(spec, { onRoundTrip: (t) => { const c = trips.get(spec.host); if (c) { c.n++; c.ms += t.ms } } }),
  onEvent: (e) => {
    if (e.type === 'task:start') for (const h of e.hosts) trips.set(h, { n: 0, ms: 0 })
    if (e.type === 'host:result') {
      const t = entry(e.task)
      const c = trips.get(e.host) ?? { n: 0, ms: 0 }
      t.ms.push(e.durationMs)
      t.trips.push(c.n)
      t.tripMs.push(c.ms)
      trips.set(e.host, { n: 0, ms: 0 })
    }
  },
})
const wall = performance.now() - started
const rows = [...tasks].map(([name, t]) => [name, median(t.ms), median(t.trips), median(t.tripMs)])
const w = Math.min(60, Math.max(...rows.map((r) => r[0].length)))
process.stdout.write(`${'task'.padEnd(w)}  median ms  trips/host  ms in trips\n`)
for (const [name, ms, n, tripMs] of rows) process.stdout.write(`${name.slice(0, w).padEnd(w)}  ${ms.toFixed(1).padStart(9)}  ${String(n).padStart(10)}  ${tripMs.toFixed(1).padStart(11)}\n`)
process.stdout.write(`\nwall in process ${wall.toFixed(0)} ms, engine ${summary.elapsedMs} ms, round trips ${summary.roundTrips}, outcome ${summary.outcome}\n`)
