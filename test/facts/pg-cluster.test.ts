// The pg_cluster fact's command run here through LocalTransport over a stand-in psql that answers as
// each node would (a primary, a standby, a stopped server), and its parser on what comes back.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { pgClusterFact } from '../../src/facts/index.js'
import { localFact } from '../modules/local-host.js'

const work = mkdtempSync(join(tmpdir(), 'pgha-pgcluster-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

// psql gets the conninfo as its first argument: answer by the host it names.
writeFileSync(
  join(work, 'psql'),
  `#!/bin/sh
case "$1" in
  *host=node1\\ *) printf 'recovery=false\\nsysid=7301\\ntli=3\\n' ;;
  *host=node2\\ *) printf 'recovery=true\\nsysid=7301\\ntli=3\\nreceiver=streaming|node1|5432\\n' ;;
  *) echo 'psql: error: connection to server at "node3" (10.77.0.13), port 5432 failed: Connection refused' >&2; exit 2 ;;
esac
`,
)
chmodSync(join(work, 'psql'), 0o755)

describe('pg_cluster fact', () => {
  it('reads each node by its conninfo: a primary, a streaming standby, and one that does not answer', async () => {
    const states = await localFact(pgClusterFact, { nodes: ['node1', 'node2', 'node3'], witness: ['node3'], port: 5432, user: 'repmgr', db: 'repmgr', bindir: work })
    // Known by the names their conninfo uses; this observer cannot tell whether repmgrd runs or the host is down.
    const node = (host: string, witness = false) => ({ host, addresses: [host], witness, repmgrdExpected: false, ssh: true })
    expect(states).toEqual([
      { ...node('node1'), pg: { inRecovery: false, timeline: 3, receiver: null, systemId: '7301' } },
      { ...node('node2'), pg: { inRecovery: true, timeline: 3, receiver: { status: 'streaming', senderHost: 'node1', senderPort: 5432 }, systemId: '7301' } },
      { ...node('node3', true), error: 'connection to server at "node3" (10.77.0.13), port 5432 failed: Connection refused' },
    ])
  })

  it('reports a missing psql as every node unreachable, not as a crash', async () => {
    const states = await localFact(pgClusterFact, { nodes: ['node1'], port: 5432, user: 'repmgr', db: 'repmgr', bindir: join(work, 'nowhere') })
    expect(states[0].pg).toBeUndefined()
    expect(states[0].error).toMatch(/not found/)
  })
})
