// A Transport for unit tests of plans: answers commands from a table of canned results and records every
// command and file write, so a test can assert exactly what a module would do to a host.
import type { Duplex } from 'node:stream'
import { describeTarget } from './stream-target.js'
import type { ExecOptions, ExecResult, Transport, WriteFileOptions, WriteFileResult, Become, StreamTarget } from './types.js'

export interface FakeResponse {
  /** Exact command, or a RegExp tested against it. The first match wins. */
  match: string | RegExp
  result: Partial<ExecResult>
}

export interface RecordedCall {
  kind: 'exec' | 'write' | 'put' | 'read' | 'stream'
  command?: string
  path?: string
  content?: string
  options?: ExecOptions | WriteFileOptions
}

export class FakeTransport implements Transport {
  readonly calls: RecordedCall[] = []
  /** Files the fake host holds; writes update it, reads come from it. */
  readonly files = new Map<string, string>()
  roundTrips = 0
  connected = false

  constructor(
    readonly host: string,
    private readonly responses: FakeResponse[] = [],
  ) {}

  /** Supplies openStream's streams; without it openStream rejects, as a host without the socket would. */
  streams?: (target: StreamTarget) => Duplex

  respond(match: string | RegExp, result: Partial<ExecResult>): this {
    this.responses.push({ match, result })
    return this
  }

  async connect(): Promise<void> {
    this.connected = true
  }

  async exec(command: string, options?: ExecOptions): Promise<ExecResult> {
    this.roundTrips++
    this.calls.push({ kind: 'exec', command, options })
    const hit = this.responses.find((r) => (typeof r.match === 'string' ? r.match === command : r.match.test(command)))
    return { rc: 0, stdout: '', stderr: '', ...hit?.result }
  }

  async writeFile(path: string, content: string | Buffer, options?: WriteFileOptions): Promise<WriteFileResult> {
    this.roundTrips++
    const text = content.toString()
    this.calls.push({ kind: 'write', path, content: text, options })
    this.files.set(path, text)
    return {}
  }

  async putFile(localPath: string, path: string, options?: WriteFileOptions): Promise<WriteFileResult> {
    this.roundTrips++
    this.calls.push({ kind: 'put', path, content: localPath, options })
    return {}
  }

  async readFile(path: string, _options?: Partial<Become>): Promise<Buffer | undefined> {
    this.roundTrips++
    this.calls.push({ kind: 'read', path })
    const text = this.files.get(path)
    return text === undefined ? undefined : Buffer.from(text)
  }

  async openStream(target: StreamTarget): Promise<Duplex> {
    this.roundTrips++
    this.calls.push({ kind: 'stream', path: describeTarget(target) })
    if (!this.streams) throw new Error(`no stream to ${describeTarget(target)} on the fake host ${this.host}`)
    return this.streams(target)
  }

  async close(): Promise<void> {
    this.connected = false
  }
}
