// Exit codes follow ansible-playbook: 0 ok, 1 invalid input (nothing was contacted), 2 a task failed on
// some host, 4 some host unreachable, 130 interrupted.
import { PghaError } from '../errors.js'

export const EXIT = { ok: 0, input: 1, failed: 2, unreachable: 4, interrupted: 130 } as const

export function exitCodeFor(err: unknown): number {
  if (!(err instanceof PghaError)) return EXIT.input
  switch (err.code) {
    case 'config': return EXIT.input
    case 'unreachable': return EXIT.unreachable
    case 'interrupted': return EXIT.interrupted
    case 'task': case 'timeout': return EXIT.failed
    default: return EXIT.input
  }
}
