// One transport per host for the whole run: opened on first use (in parallel across hosts, bounded by
// forks through the caller), kept warm across plays, closed once at the end. A failed connect is
// remembered, so an unreachable host costs one timeout, not one per task.
import type { ConnectionSpec, Transport } from '../transport/types.js'

export class Connections {
  private readonly open = new Map<string, Promise<Transport>>()
  private readonly transports: Transport[] = []

  constructor(private readonly factory: (spec: ConnectionSpec) => Transport) {}

  get(spec: ConnectionSpec): Promise<Transport> {
    const key = `${spec.host}\u0000${spec.user}@${spec.address}:${spec.port}`
    let t = this.open.get(key)
    if (!t) {
      const transport = this.factory(spec)
      this.transports.push(transport)
      t = transport.connect().then(() => transport)
      this.open.set(key, t)
    }
    return t
  }

  /** Round trips made over every transport (the benchmark reports it). */
  get roundTrips(): number {
    return this.transports.reduce((n, t) => n + t.roundTrips, 0)
  }

  async closeAll(): Promise<void> {
    await Promise.allSettled(this.transports.map((t) => t.close()))
  }
}
