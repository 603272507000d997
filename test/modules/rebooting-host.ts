// A fake host that reboots, for the modules that wait for one (reboot, wait_for_connection): the reboot
// command takes it down, logins fail while it is down, and it comes back with a new boot id. The link is
// what the engine gives a module (ModuleContext.link): each login is recorded with its timeout.
import { UnreachableError } from '../../src/errors.js'
import type { ModuleContextOptions } from '../../src/engine/module-context.js'
import { FakeTransport } from '../../src/transport/fake.js'
import type { ExecOptions, ExecResult } from '../../src/transport/types.js'

export const BOOT_ID = 'cat /proc/sys/kernel/random/boot_id'
export const FOUND_SHUTDOWN = '/sbin/shutdown'

export class RebootingHost extends FakeTransport {
  boot = 1
  /** Logins to refuse before one succeeds (the host is down, or its sshd is stopped). */
  refuseLogins = 0
  /** Whether the host has been sent down and not yet booted again. */
  private down = false
  /** The timeout of each login, in ms. */
  readonly logins: number[] = []
  /** A login that never settles (a host that neither answers nor refuses): the module must bound it. */
  loginsHang = false
  /** What the reboot command answers; a drop of the connection instead when 'drop'. */
  rebootAnswer: Partial<ExecResult> | 'drop' = { rc: 0 }
  /** Where the search of search_paths finds shutdown (nowhere when undefined). */
  shutdownAt: string | undefined = FOUND_SHUTDOWN
  /** False: the host answers again, but never booted (its boot id stays). */
  comesBack = true

  constructor(name = 'node1') {
    super(name)
  }

  override async exec(command: string, options?: ExecOptions): Promise<ExecResult> {
    const recorded = await super.exec(command, options)
    if (command === BOOT_ID) return { rc: 0, stdout: `boot-${this.boot}\n`, stderr: '' }
    if (command.startsWith('if [ -e ')) return { rc: 0, stdout: this.shutdownAt ? `${this.shutdownAt}\n` : '', stderr: '' }
    if (command.includes(' -r ') || command.startsWith('/usr/bin/systemctl')) {
      this.down = true
      if (this.rebootAnswer === 'drop') throw new UnreachableError(this.host, 'the connection to node1 was lost')
      return { rc: 0, stdout: '', stderr: '', ...this.rebootAnswer }
    }
    return recorded
  }

  /** The commands run, in order. */
  get commands(): string[] {
    return this.calls.flatMap((c) => (c.kind === 'exec' ? [c.command!] : []))
  }

  link(connection: 'ssh' | 'local' = 'ssh'): NonNullable<ModuleContextOptions['link']> {
    return {
      connection,
      connectTimeoutMs: 10_000,
      reconnect: async (ms) => {
        this.logins.push(ms ?? 10_000)
        if (this.loginsHang) await new Promise(() => undefined)
        if (this.refuseLogins-- > 0) throw new UnreachableError(this.host, `cannot connect to ${this.host} (10.0.0.1:22): connect ECONNREFUSED 10.0.0.1:22`)
        if (this.down && this.comesBack) {
          this.down = false
          this.boot++
        }
        return this
      },
    }
  }
}
