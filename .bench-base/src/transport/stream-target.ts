// How a StreamTarget reads in messages.
import type { StreamTarget } from './types.js'

export function describeTarget(target: StreamTarget): string {
  return 'socketPath' in target ? target.socketPath : `${target.host}:${target.port}`
}
