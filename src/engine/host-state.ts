// What the engine knows about one host during a run: its variables by layer, the facts cache, its
// handler notifications and whether it has left the run (failed or unreachable).
import { FactCache } from '../facts/index.js'
import { READ_AHEAD_MAX, type GuessedRead } from './read-ahead.js'
import type { InventoryHost, Vars } from '../inventory/types.js'
import type { Task, TaskNode } from '../playbook/index.js'

export class HostState {
  /** Gathered facts: ansible_facts and the ansible_* shortcuts. As in Ansible, ansible_facts is {} before any are gathered. */
  facts: Vars = { ansible_facts: {} }
  /** Variables include_vars loaded (Ansible's level 18, above task vars); they outlive the play too. */
  included: Vars = {}
  /** Registered results and set_fact values; they outlive the play, like Ansible's. */
  registered: Vars = {}
  readonly factCache: FactCache
  /** Handler names (or listen topics) notified in this play. */
  readonly notified = new Set<string>()
  /** The task that failed last and its result: a rescue section sees them as ansible_failed_task/_result. */
  lastFailure?: { task: string; result: Vars }
  failed = false
  unreachable = false
  /** Strings scrubbed from every output for this host (become password, secret vars, no_log values). */
  secrets: string[] = []
  /** The tasks after the running one in its list, and how many of them read-ahead looks at (read-ahead.ts). */
  upcoming: readonly TaskNode[] = []
  readAheadWindow = READ_AHEAD_MAX
  /**
   * Each later task's last whole guess (read-ahead.ts) and the user of the batch that read it (a read for
   * another user says whose): a batch passes over a task whose guessed facts are all still cached rather
   * than guess it again, or over one whose guess lacked a variable still undefined.
   */
  readonly guesses = new WeakMap<Task, { user: string; reads: readonly GuessedRead[]; missing?: string }>()
  /**
   * The become users (factUser) a plan has run as here: read-ahead reads for a later task of another of
   * them through its shell, never opening one for a user that may not exist yet (a refused sudo stays refused).
   */
  readonly planUsers = new Set<string>()
  /** In a check run: the accounts and files earlier tasks would have created here, which do not exist yet. */
  readonly toCreate = { users: new Set<string>(), paths: new Set<string>() }

  /** The host's inventory entry; add_host and group_by replace it (inventory-requests.ts). */
  inv: InventoryHost

  constructor(inv: InventoryHost) {
    this.inv = inv
    this.factCache = new FactCache(inv.name)
  }

  get name(): string {
    return this.inv.name
  }

  /**
   * Keeps the variables a module returned as ansible_facts where Ansible keeps them: include_vars' at its
   * own level; set_fact's as set_fact, and with `cacheable` as facts too (ansible_facts.NAME and NAME at
   * the facts level, which is what outlives a set_fact overridden by a play var in Ansible's fact cache);
   * any other module's (setup-like results) as facts.
   */
  keepModuleFacts(module: string, values: Vars, cacheable: boolean): void {
    if (module === 'include_vars') {
      this.included = { ...this.included, ...values }
      return
    }
    if (module !== 'set_fact' || cacheable) {
      const namespaced = Object.fromEntries(Object.entries(values).map(([k, v]) => [k.replace(/^ansible_/, ''), v]))
      const previous = this.facts.ansible_facts
      this.facts = { ...this.facts, ...values, ansible_facts: { ...(previous && typeof previous === 'object' ? previous : {}), ...namespaced } }
    }
    if (module === 'set_fact') Object.assign(this.registered, values)
  }

  /** A host that failed or could not be reached takes no further part in the run. */
  get active(): boolean {
    return !this.failed && !this.unreachable
  }
}
