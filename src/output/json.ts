// `--output json`: one JSON document on stdout at the end of the run, with every task result per host and
// the recap; nothing else goes to stdout (warnings go to stderr as they happen).
import type { EngineEvent, HostStatus } from '../engine/events.js'
import type { TaskResult } from '../modules/types.js'
import { warningText } from './describe.js'
import type { Recap } from './recap.js'
import { createSink, type Sink } from './sink.js'
import { jsonTerminalSafe, terminalSafe } from './terminal-safe.js'
import { RunTracker } from './tracker.js'
import type { Reporter, ReporterOptions } from './types.js'

export interface JsonHostEntry {
  status: HostStatus
  result: TaskResult
  item?: string
  durationMs: number
  /** Planned changes' descriptions, when the module reported them. */
  changes?: string[]
}

export interface JsonTask {
  name: string
  handler?: boolean
  /** One entry per host; an array when the engine reported a loop item by item. */
  hosts: Record<string, JsonHostEntry | JsonHostEntry[]>
  /** The task files an include_tasks brought in (each counted as an ok on its hosts). */
  included?: { file: string; hosts: string[]; item?: string }[]
}

export interface JsonDocument {
  playbook: string
  check: boolean
  plays: { name: string; tasks: JsonTask[] }[]
  recap: Recap
  elapsedMs: number
  interrupted: boolean
}

export class JsonReporter implements Reporter {
  private readonly sink: Sink
  private readonly run = new RunTracker()
  private readonly plays: JsonDocument['plays'] = []

  constructor(opts: ReporterOptions) {
    this.sink = createSink(opts)
  }

  onEvent(e: EngineEvent): void {
    this.run.onEvent(e)
    switch (e.type) {
      case 'play:start':
        this.plays.push({ name: e.name, tasks: [] })
        break
      case 'task:start':
        this.currentPlay().tasks.push({ name: e.name, ...(e.handler ? { handler: true } : {}), hosts: {} })
        break
      case 'host:result': {
        const entry: JsonHostEntry = { status: e.status, result: e.result, durationMs: e.durationMs }
        if (e.item !== undefined) entry.item = e.item
        if (e.changes) entry.changes = e.changes
        const hosts = this.currentTask(e.task).hosts
        const seen = hosts[e.host]
        if (e.item === undefined) hosts[e.host] = entry
        else if (Array.isArray(seen)) seen.push(entry)
        else hosts[e.host] = [entry]
        break
      }
      case 'include': {
        const task = this.currentTask(e.task)
        ;(task.included ??= []).push({ file: e.file, hosts: e.hosts, ...(e.item === undefined ? {} : { item: e.item }) })
        break
      }
      case 'warning':
        this.sink.err(terminalSafe(warningText(e.message, e.host)))
        break
    }
  }

  async finish(): Promise<void> {
    this.sink.outJson(this.document(), jsonTerminalSafe)
  }

  document(): JsonDocument {
    const { playbook, check, interrupted } = this.run
    return { playbook, check, plays: this.plays, recap: this.run.recap(), elapsedMs: Math.round(this.run.elapsed()), interrupted }
  }

  private currentPlay(): JsonDocument['plays'][number] {
    if (this.plays.length === 0) this.plays.push({ name: '', tasks: [] })
    return this.plays[this.plays.length - 1]
  }

  /** The running task; a result for a task never announced gets an entry of its own rather than being lost. */
  private currentTask(name: string): JsonTask {
    const tasks = this.currentPlay().tasks
    const last = tasks[tasks.length - 1]
    if (last?.name === name) return last
    const task: JsonTask = { name, hosts: {} }
    tasks.push(task)
    return task
  }
}
