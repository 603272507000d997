// The shipped source build (playbooks/tasks/postgres-source.yml) through the local transport, with a stand-in
// source tree whose configure and make record what they were asked: it builds when pg_prefix holds no build,
// skips when pg_prefix holds the build of this tarball and these options, and builds again (asking for a
// rolling restart) when the tarball's version or the configure options change, contrib included each time.
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { localHosts, project, type Project, type Run } from './harness.js'

const TASKS = resolve(__dirname, '../../playbooks/tasks/postgres-source.yml')
const DEFAULTS = parse(readFileSync(resolve(__dirname, '../../inventory/group_vars/all.yml'), 'utf8')) as Record<string, unknown>
const BUILD = 'PostgreSQL and contrib configured, built and installed into pg_prefix (tarball or options changed)'
const RESTART = 'new binaries over an older build need a rolling restart'

/** A tarball like PostgreSQL's: one top directory, configure --prefix=..., make, make install, and contrib. */
function sourceTarball(p: Project, version: string): string {
  const top = join(p.dir, 'trees', `postgresql-${version}`)
  mkdirSync(join(top, 'contrib'), { recursive: true })
  writeFileSync(join(top, 'configure'), `#!/bin/sh
for a in "$@"; do case $a in --prefix=*) prefix=\${a#--prefix=};; esac; done
printf 'PREFIX=%s\\nARGS=%s\\n' "$prefix" "$*" > config.mk
`, { mode: 0o755 })
  writeFileSync(join(top, 'Makefile'), `include config.mk
all:
\techo ${version} > postgres
install:
\tmkdir -p $(PREFIX)/bin
\tcp postgres $(PREFIX)/bin/postgres
\techo '$(ARGS)' > $(PREFIX)/configure-args
\techo ${version} >> $(PREFIX)/builds.log
`)
  writeFileSync(join(top, 'contrib', 'Makefile'), `include ../config.mk
all:
\techo ${version} > contrib.built
install:
\tmkdir -p $(PREFIX)/lib
\tcp contrib.built $(PREFIX)/lib/contrib
`)
  const tarball = join(p.dir, `postgresql-${version}.tar.gz`)
  execFileSync('tar', ['-czf', tarball, '-C', join(p.dir, 'trees'), `postgresql-${version}`])
  return tarball
}

const PLAY = (options: string[]) => `
- hosts: all
  gather_facts: false
  vars:
    # Neither EL nor Debian: no build dependencies are installed on the machine running the test.
    ansible_os_family: Other
    pg_src_build_deps_debian: []
    pg_src_build_deps_redhat: []
    pg_src_configure_options: ${JSON.stringify(options)}
    pg_src_configure_options_redhat: ${JSON.stringify(DEFAULTS.pg_src_configure_options_redhat)}
  tasks:
    - include_tasks: ${TASKS}
`

describe('the PostgreSQL source build (postgres-source.yml)', () => {
  const status = (run: Run, task: string): string | undefined => run.results(task).h1?.status

  it('builds with contrib, skips a build pg_prefix already holds, and builds again for a new tarball or new options', async () => {
    const p = project(localHosts(['h1']))
    const prefix = join(p.dir, 'prefix')
    const options = DEFAULTS.pg_src_configure_options as string[]
    p.write('site.yml', PLAY(options))
    const build = async (tarball: string, opts = options): Promise<Run> => {
      p.write('site.yml', PLAY(opts))
      const run = await p.run({ extraVars: [`pg_src_tarball=${tarball}`, `pg_src_build_dir=${join(p.dir, 'src')}`, `pg_prefix=${prefix}`] })
      const failed = run.events.filter((e) => e.type === "host:result" && e.status === "failed")
      expect(run.exitCode, JSON.stringify(failed)).toBe(0)
      return run
    }
    const first = sourceTarball(p, '15.17')
    const run1 = await build(first)
    expect(status(run1, BUILD)).toBe('changed')
    expect(status(run1, RESTART)).toBe('skipped')
    expect(readFileSync(join(prefix, 'bin', 'postgres'), 'utf8')).toBe('15.17\n')
    expect(readFileSync(join(prefix, 'lib', 'contrib'), 'utf8')).toBe('15.17\n')
    expect(readFileSync(join(prefix, 'configure-args'), 'utf8').trim()).toBe(`--prefix=${prefix} ${options.join(' ')}`)
    const sha = createHash('sha256').update(readFileSync(first)).digest('hex')
    expect(readFileSync(join(prefix, 'pgha-build.txt'), 'utf8')).toBe(`${sha} postgresql-15.17.tar.gz ${options.join(' ')}\n`)

    // The same tarball and options: the binary is there and the record matches, nothing is built.
    const run2 = await build(first)
    expect(status(run2, BUILD)).toBe('skipped')
    expect(run2.recap.h1!.changed).toBe(0)

    // A new minor release: built and installed over the old one, and the running server marked for a restart.
    const run3 = await build(sourceTarball(p, '15.18'))
    expect(status(run3, BUILD)).toBe('changed')
    expect(status(run3, RESTART)).toBe('ok')
    expect(readFileSync(join(prefix, 'bin', 'postgres'), 'utf8')).toBe('15.18\n')
    expect(readFileSync(join(prefix, 'lib', 'contrib'), 'utf8')).toBe('15.18\n')

    // Other configure options: built again from the same tarball.
    const run4 = await build(join(p.dir, 'postgresql-15.18.tar.gz'), [...options, '--with-lz4'])
    expect(status(run4, BUILD)).toBe('changed')
    expect(readFileSync(join(prefix, 'configure-args'), 'utf8')).toContain('--with-lz4')
    expect(readFileSync(join(prefix, 'builds.log'), 'utf8')).toBe('15.17\n15.18\n15.18\n')
  })

  it('defaults to a packaged build\'s options, adding --with-selinux on EL, whose build dependencies include bzip2 for .tar.bz2', () => {
    expect(DEFAULTS.pg_src_configure_options_redhat).toEqual(['--with-selinux'])
    expect(DEFAULTS.pg_src_configure_options).toEqual(expect.arrayContaining(['--with-libxml', '--with-pam', '--with-systemd']))
    expect(DEFAULTS.pg_src_build_deps_redhat).toContain('bzip2')
  })
})
