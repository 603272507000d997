// bench/profile.js runs the engine in its own process from dist/ (tsc's ES modules, not the bundle), under
// node's own ESM loader, which is stricter than esbuild's and vitest's about CommonJS dependencies (a named
// import from a CommonJS file is refused there and accepted here): the modules it imports must load.
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { REPO } from '../built.js'

describe('dist/ under node\'s own ESM loader', () => {
  it('loads the engine and the transport bench/profile.js imports', () => {
    const load = ['engine/index.js', 'transport/index.js'].map((m) => `await import(${JSON.stringify(join(REPO, 'dist', m))})`).join(';')
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', load], { encoding: 'utf8' })
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
  })
})
