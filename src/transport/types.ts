// The Transport contract: how the engine and modules reach a host. Implementations: ssh.ts (ssh2),
// local.ts (local shells), fake.ts (records commands for unit tests of plans).
import type { Duplex } from 'node:stream'

/** Who runs a command: the login user, or another user through sudo. */
export interface Become {
  /** Run through sudo as `user` (default root). */
  become: boolean
  user?: string
  /** sudo password; never echoed, never logged. */
  password?: string
}

export interface ExecOptions extends Partial<Become> {
  /** Kill the command and fail with TimeoutError after this many ms (default: none). */
  timeoutMs?: number
  /** Extra environment variables for this command only. */
  env?: Record<string, string>
  /** Working directory for this command only. */
  cwd?: string
  /** Text or bytes fed to the command's stdin (default: /dev/null). */
  stdin?: string | Buffer
}

export interface ExecResult {
  rc: number
  stdout: string
  stderr: string
}

export interface WriteFileOptions extends Partial<Become> {
  owner?: string
  group?: string
  /** Octal string such as '0640'. When absent an existing file keeps its mode; a new one gets 0644. */
  mode?: string
  /** A command with %s for the temporary file; the write is abandoned (old file intact) when it fails. */
  validate?: string
  /** Keep a timestamped copy `PATH.YYYYMMDDTHHMMSS~` of the file being replaced. Returns its path. */
  backup?: boolean
  timeoutMs?: number
}

export interface WriteFileResult {
  backupPath?: string
}

/**
 * One connection to one host. Commands run through long-lived shells (one per become user) framed by a
 * sentinel carrying the exit code, each in a subshell with stdin from /dev/null unless `stdin` is given.
 * Files are written atomically: temp file in the target directory, owner/mode, validate, rename.
 */
export interface Transport {
  /** The inventory name of the host. */
  readonly host: string
  /** Opens the connection (idempotent). Throws UnreachableError on failure. */
  connect(): Promise<void>
  /** Runs a POSIX sh command. A nonzero rc is not an exception; unreachability and timeouts are. */
  exec(command: string, options?: ExecOptions): Promise<ExecResult>
  /** Atomically writes `content` to `path` on the host. Throws PghaError when validate fails. */
  writeFile(path: string, content: string | Buffer, options?: WriteFileOptions): Promise<WriteFileResult>
  /** Copies a file from the controller to `path` on the host, atomically, like writeFile. */
  putFile(localPath: string, path: string, options?: WriteFileOptions): Promise<WriteFileResult>
  /** Reads a whole file from the host, or undefined when it does not exist. */
  readFile(path: string, options?: Partial<Become>): Promise<Buffer | undefined>
  /**
   * A byte stream to a socket on the host, as seen from the host: a unix socket (PostgreSQL's
   * /var/run/postgresql/.s.PGSQL.5432) or a TCP address the host can reach. Nothing is opened on the
   * controller's side, so no database port has to be reachable from it. Optional: fake transports lack it.
   */
  openStream?(target: StreamTarget): Promise<Duplex>
  /** Round trips made so far (commands and file transfers), for profiling and the benchmark. */
  readonly roundTrips: number
  /** Closes every shell and the connection. Idempotent. */
  close(options?: CloseOptions): Promise<void>
}

export interface CloseOptions {
  /**
   * The run ended in order: the login may outlive it, for the next run of the same process (the run
   * server keeps it; anywhere else it ends as always). A reset or an interrupted run never keeps one.
   */
  keepLogin?: boolean
}

/** Where openStream connects, from the host's point of view. */
export type StreamTarget = { socketPath: string } | { host: string; port: number }

/** Connection settings resolved from inventory variables (ansible_host, ansible_port, ...). */
export interface ConnectionSpec {
  host: string
  connection: 'ssh' | 'local'
  address: string
  port: number
  user: string
  privateKeyFile?: string
  /** Path of the known_hosts file to check host keys against (default ~/.ssh/known_hosts). */
  knownHostsFile?: string
  /** Trust and record unknown host keys (a changed key is still refused). */
  acceptNewHostKeys?: boolean
  connectTimeoutMs: number
  /** ProxyJump-style jump host, `user@host:port`. */
  jumpHost?: string
}
