// Whom a command runs as: the user a connection logs in as, and the user a call becomes on it.
import { userInfo } from 'node:os'
import type { Become, ConnectionSpec } from './types.js'

/** Whom commands run as without become: SSH's login user; for a local connection whoever runs pgha, whatever ansible_user says. */
export function loginUserOf(spec: Pick<ConnectionSpec, 'connection' | 'user'>): string {
  return spec.connection === 'local' ? userInfo().username : spec.user
}

/**
 * The user a call runs as through sudo (root unless it names one), or '' when it runs as the login user:
 * no become, or becoming `loginUser` itself, which needs no sudo. Without `loginUser`, the user asked for.
 */
export function becomeUserOf(o: Partial<Become>, loginUser = ''): string {
  const user = o.become ? (o.user ?? 'root') : ''
  return user === loginUser ? '' : user
}
