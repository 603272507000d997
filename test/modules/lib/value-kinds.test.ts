// What a value may be, by kind: accepted values as real playbooks write them, refused ones that a command
// would read as an option or a line would split on.
import { describe, expect, it } from 'vitest'
import {
  isAbsolutePath, isAccountName, isCryptHash, isGecos, isHostAddress, isHostPath, isOwner, isPackageSpec, isUnitName,
} from '../../../src/modules/lib/value-kinds.js'

const kinds = {
  unit: [isUnitName, ['pgserver', 'postgresql@15-main.service', '-.mount', 'dev-sda1.device', 'a\\x2db.mount'], ['--host=evil', 'a b', 'x;y', 'a'.repeat(250)]],
  account: [isAccountName, ['postgres', 'repmgr', 'svc.user', 'build-agent', 'MACHINE$', '_apt'], ['-o', '--prefix=/x', '123', 'a:b', 'a b', '.', 'a\nb', 'x'.repeat(33)]],
  owner: [isOwner, ['postgres', '0', '1001'], ['--reference=/etc/shadow', '-R', 'a:b']],
  package: [isPackageSpec, ['postgresql-15', 'libpq5:amd64', 'nginx=1.22*', 'postgresql13-server-13.4-1.el7.x86_64', 'perl(ExtUtils::Embed)', '/usr/bin/psql', 'postgresql13*', 'g++'], ['-oAPT::X=1', '--allow-unauthenticated', 'a b', '@Development tools', "a'b", 'x;y']],
  hostPath: [isHostPath, ['/etc/motd', 'rel/x', '~/.ssh/x', './-x'], ['-rf', '--target-directory=/etc', '', 'a\nb']],
  absolute: [isAbsolutePath, ['/usr/local/pgsql/bin', '/a b'], ['rel', '-x', '/a\nb', '']],
  host: [isHostAddress, ['node1', '10.0.0.1', 'fe80::1%eth0', '[::1]', 'db.example.com', '/var/run/postgresql'], ['-e/bin/sh', 'a b', 'x;y', 'a=b']],
  hash: [isCryptHash, ['$6$salt$hash', '!', '*', '$y$j9T$a$b', 'SCRAM=x'], ['a:b', 'a\nroot:x', 'a b', '\u0001']],
  gecos: [isGecos, ['Database Admin', 'x,y'], ['a:b', 'a\nb']],
} as const

describe.each(Object.entries(kinds))('%s', (_kind, [check, good, bad]) => {
  it.each(good.map((v) => [v]))('accepts %j', (v) => expect(check(v)).toBeUndefined())
  it.each(bad.map((v) => [v]))('refuses %j', (v) => expect(check(v)).toEqual(expect.any(String)))
})
