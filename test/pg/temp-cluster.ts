// A throwaway PostgreSQL 15 cluster for tests: initdb in a temp dir as the OS user postgres, listening
// only on a unix socket in a temp dir on a random port, stopped and removed by stop(). Never the packaged
// cluster, never TCP.
import { execFileSync } from 'node:child_process'
import { appendFileSync, chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { userInfo } from 'node:os'
import { join } from 'node:path'

export const PG_BINDIR = '/usr/lib/postgresql/15/bin'
export const havePostgres = existsSync(`${PG_BINDIR}/initdb`) && userInfo().uid === 0

export interface TempCluster {
  dir: string
  data: string
  socketDir: string
  port: number
  /** Runs a PostgreSQL program as postgres. */
  run(program: string, args: string[]): string
  stop(): void
}

/** `hba` replaces pg_hba.conf (default: initdb's trust for everything local); `conf` is added to postgresql.conf. */
export function startCluster(opts: { hba?: string; conf?: string } = {}): TempCluster {
  const dir = mkdtempSync('/tmp/pgha-pg-')
  chownSync(dir, uid('postgres'), gid('postgres'))
  const data = join(dir, 'data')
  const socketDir = join(dir, 'sock')
  const port = 20000 + Math.floor(Math.random() * 20000)
  const run = (program: string, args: string[]): string =>
    execFileSync('runuser', ['-u', 'postgres', '--', `${PG_BINDIR}/${program}`, ...args], { encoding: 'utf8', cwd: dir })
  run('initdb', ['-D', data, '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8'])
  execFileSync('runuser', ['-u', 'postgres', '--', 'mkdir', socketDir])
  if (opts.hba) writeFileSync(join(data, 'pg_hba.conf'), opts.hba)
  if (opts.conf) appendFileSync(join(data, 'postgresql.conf'), opts.conf)
  run('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-o', `-c listen_addresses='' -c unix_socket_directories=${socketDir} -p ${port}`, 'start'])
  return {
    dir,
    data,
    socketDir,
    port,
    run,
    stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop'])
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    },
  }
}

const uid = (name: string): number => Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }))
const gid = (name: string): number => Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }))
