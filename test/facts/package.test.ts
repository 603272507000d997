// Package facts' parsers on captured dpkg, apt-cache, rpm and yum output (the dpkg side also runs for
// real in test/modules/package.test.ts).
import { describe, expect, it } from 'vitest'
import { aptCandidatesFact, aptInstalledFact, rpmInstalledFact, yumUpdatesFact } from '../../src/facts/index.js'

describe('apt facts', () => {
  it('keeps installed packages only and indexes what they provide', () => {
    const out = [
      'exim4-daemon-light\tii \t4.96-15+deb12u4\tmail-transport-agent',
      'postgresql-15\tii \t15.8-0+deb12u1\tpostgresql-15-jit-llvm (= 15.8-0+deb12u1), postgresql-contrib-15',
      'postgresql-14\trc \t14.9-1\t',
      'repmgr\tun \t\t',
      'libpq5\tiU \t15.8-0+deb12u1\t',
      'man-db\tit \t2.11.2-2\t',
    ].join('\n')
    const f = aptInstalledFact.parse(out, {}, 0)
    expect(f.versions).toEqual({ 'exim4-daemon-light': '4.96-15+deb12u4', 'postgresql-15': '15.8-0+deb12u1', 'man-db': '2.11.2-2' })
    expect(f.provides['mail-transport-agent']).toEqual(['exim4-daemon-light'])
    expect(f.provides['postgresql-contrib-15']).toEqual(['postgresql-15'])
  })

  it('reads candidates, null for virtual or unknown names', () => {
    const out = 'bash:\n  Installed: 5.2.15-2+b2\n  Candidate: 5.2.15-2+b7\n  Version table:\nmail-transport-agent:\n  Installed: (none)\n  Candidate: (none)\n'
    expect(aptCandidatesFact.parse(out, { names: ['bash', 'mail-transport-agent', 'nope'] }, 0)).toEqual({ bash: '5.2.15-2+b7', 'mail-transport-agent': null, nope: null })
  })
})

describe('rpm and yum facts', () => {
  it('maps each asked name to its package, through provides when needed', () => {
    const out = 'gcc\tgcc\t4.8.5-44.el7\nperl(DBI)\tperl-DBI\t1.627-4.el7\nflex\t-\n'
    expect(rpmInstalledFact.parse(out, { names: ['gcc', 'perl(DBI)', 'flex'] }, 0)).toEqual({
      versions: { gcc: '4.8.5-44.el7', 'perl-DBI': '1.627-4.el7' },
      provides: { 'perl(DBI)': ['perl-DBI'] },
    })
    expect(rpmInstalledFact.command({ names: ['perl(DBI)'] })).toContain("for n in 'perl(DBI)'; do")
  })

  it('reads check-update lines and stops at obsoletes', () => {
    const out = '\nopenssl.x86_64          1:1.0.2k-26.el7_9        updates\nopenssl-libs.x86_64     1:1.0.2k-26.el7_9        updates\nObsoleting Packages\ngrub2.x86_64   1:2.02-0.87.el7.centos   updates\n'
    expect(yumUpdatesFact.parse(out, { names: ['openssl'], mgr: 'yum' }, 0)).toEqual({ openssl: '1:1.0.2k-26.el7_9', 'openssl-libs': '1:1.0.2k-26.el7_9' })
    expect(() => yumUpdatesFact.parse('Error: Cannot retrieve repository metadata', { names: [], mgr: 'yum' }, 1)).toThrow('check-update failed (rc 1)')
  })
})
