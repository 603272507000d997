// The transport folder's entry: picks ssh or local for a host, and re-exports the contract.
import { LocalTransport } from './local.js'
import { SshTransport, type SshTransportOptions } from './ssh.js'
import type { ConnectionSpec, Transport } from './types.js'

export function openTransport(spec: ConnectionSpec, options?: SshTransportOptions): Transport {
  return spec.connection === 'local' ? new LocalTransport(spec) : new SshTransport(spec, options)
}

export type * from './types.js'
export { SshTransport, type SshTransportOptions, type RoundTrip } from './ssh.js'
export { LocalTransport } from './local.js'
export { FakeTransport, type FakeResponse, type RecordedCall } from './fake.js'
export { fingerprint, parseKnownHosts } from './known-hosts.js'
export { HandshakeCutShort } from './ssh-connect.js'
