// A catalog read fetched ahead (the pg_query fact) must connect as the module's own psql route would: the
// same psql, socket directory, port, login user, database, role and timeout. Otherwise a plan would read
// one server's catalog and apply to another, or a read ahead would fail where the module's would not.
import { describe, expect, it } from 'vitest'
import { pgConnParams, pgRead, withSession } from '../../../src/modules/lib/pg-params.js'
import type { ModuleContext } from '../../../src/modules/types.js'
import type { ExecOptions } from '../../../src/transport/types.js'
import { z } from 'zod'

/** The psql invocation of a command: from finding psql to its options. */
const psqlLine = (command: string): string => /p=.*? -f -/s.exec(command)?.[0] ?? `no psql in ${command}`

describe('pgRead', () => {
  it("connects as the module's own psql route does", async () => {
    const p = z.object(pgConnParams).parse({ login_user: 'app', port: 5433, unix_socket_dir: '/run/pg', bindir: '/opt/pg/bin', connect_timeout: 7, session_role: 'owner' })
    const commands: string[] = []
    let stdin = ''
    const ctx = {
      host: 'db1',
      exec: async (command: string, o: ExecOptions = {}) => (commands.push(command), (stdin = String(o.stdin ?? '')), { rc: 2, stdout: '', stderr: 'refused' }),
    } as unknown as ModuleContext
    await withSession(ctx, p, 'shop', (s) => s.query('SELECT 1', [], { readOnly: true })).catch(() => undefined)
    const read = pgRead(p, 'shop', 'SELECT 1')!
    expect(commands).toHaveLength(1)
    const ahead = read.def.command(read.args)
    expect(psqlLine(ahead)).toBe(psqlLine(commands[0]))
    // The role: set once per session on the module's route, in each read's transaction ahead.
    expect(/SET ROLE (\S+);/.exec(stdin)?.[1]).toBe('owner')
    expect(/SET LOCAL ROLE (\S+);/.exec(ahead)?.[1]).toBe('owner')
    expect(psqlLine(commands[0])).toContain('p=/opt/pg/bin/psql; h=/run/pg;')
    expect(psqlLine(commands[0])).toContain(`PGCONNECT_TIMEOUT=7 "\${p:-psql}" -X -w -q --csv -v ON_ERROR_STOP=1 -h "$h" -p 5433 -U app -d shop -f -`)
  })
})
