// openssh_keypair against ansible-playbook's (community.crypto, its ssh-keygen backend): the same status
// per task as the key's type, comment, mode, public file and state change, in check mode too, and the same
// keys left behind by what a user checks (type, size, comment, modes; the keys themselves are random).
import { describe, expect, it } from 'vitest'
import { bothSides, dirlessStatuses, haveAnsible, statuses } from './ansible-differential.js'
import { getModule } from '../../src/modules/index.js'

const key = (name: string, args: string, extra = '') => `    - name: ${name}\n      community.crypto.openssh_keypair: { path: DIR/id, ${args} }\n${extra}`
const REPORT = `    - name: report
      shell: "cd DIR && for f in id id.pub; do stat -c '%n %a' $f; done > report && ssh-keygen -l -f id | awk '{print $1, $NF}' >> report && cut -d' ' -f1,3- id.pub >> report"
`

const TASKS = [
  key('ed25519 made', 'type: ed25519, comment: a@example'),
  key('ed25519 again', 'type: ed25519, comment: a@example'),
  key('another comment', 'type: ed25519, comment: b@example'),
  key('the type never regenerated', 'type: rsa, size: 1024, regenerate: never'),
  key('another type', 'type: rsa, size: 1024'),
  key('rsa again', 'type: rsa, size: 1024'),
  key('a mode', 'type: rsa, size: 1024, mode: "0400"'),
  '    - name: public key lost\n      file: { path: DIR/id.pub, state: absent }\n',
  key('public key written again', 'type: rsa, size: 1024, comment: r@example'),
  key('public key there', 'type: rsa, size: 1024, comment: r@example'),
  REPORT,
  key('forced', 'type: rsa, size: 1024, force: true'),
  key('refuses another size', 'type: rsa, size: 2048, regenerate: fail', '      ignore_errors: true\n'),
  key('removed', 'state: absent'),
  key('removed again', 'state: absent'),
  '    - name: in a missing directory\n      community.crypto.openssh_keypair: { path: DIR/none/id, type: ed25519 }\n      ignore_errors: true\n',
].join('')

const CHECK_TASKS = [
  key('made for real', 'type: ed25519', '      check_mode: false\n'),
  key('same in check mode', 'type: ed25519'),
  key('other type in check mode', 'type: ecdsa'),
  key('other comment in check mode', 'type: ed25519, comment: c@example'),
  '    - name: list\n      shell: "cd DIR && ls > report && ssh-keygen -l -f id | awk \'{print $NF}\' >> report"\n      check_mode: false\n',
].join('')

const reportOnly = (files: Record<string, string>) => ({ report: files.report })

describe.skipIf(!haveAnsible)('openssh_keypair, as ansible-playbook', () => {
  it('makes, keeps, regenerates and restores key pairs as the collection does', async () => {
    const { ansible, pgha } = await bothSides(TASKS)
    expect(dirlessStatuses(pgha)).toEqual(dirlessStatuses(ansible))
    expect(statuses(pgha)).toEqual([
      'ed25519 made: changed', 'ed25519 again: ok', 'another comment: changed', 'the type never regenerated: ok', 'another type: changed',
      'rsa again: ok', 'a mode: changed', 'public key lost: changed', 'public key written again: changed', 'public key there: ok', 'report: changed',
      'forced: changed', 'refuses another size: failed', 'removed: changed', 'removed again: ok', 'in a missing directory: failed',
    ])
    expect(pgha.files.report).toBe('id 400\nid.pub 644\n1024 (RSA)\nssh-rsa r@example\n')
    expect(reportOnly(pgha.files)).toEqual(reportOnly(ansible.files))
  }, 300_000)

  it('in check mode says what would change and changes nothing', async () => {
    const { ansible, pgha } = await bothSides(CHECK_TASKS, { check: true })
    expect(statuses(pgha)).toEqual(statuses(ansible))
    expect(statuses(pgha)).toEqual(['made for real: changed', 'same in check mode: ok', 'other type in check mode: changed', 'other comment in check mode: changed', 'list: changed'])
    expect(reportOnly(pgha.files)).toEqual(reportOnly(ansible.files))
  }, 300_000)
})

describe('openssh_keypair parameters', () => {
  const parse = (args: Record<string, unknown>) => getModule('openssh_keypair')!.params.safeParse(args)
  it("refuses community.crypto's impossible sizes and formats before any host is contacted", () => {
    expect(parse({ path: '/k', size: 512 }).error?.issues[0].message).toMatch(/^For RSA keys, the minimum size is 1024 bits/)
    expect(parse({ path: '/k', type: 'ecdsa', size: 300 }).error?.issues[0].message).toMatch(/^For ECDSA keys/)
    expect(parse({ path: '/k', private_key_format: 'pkcs8' }).error?.issues[0].message).toBe("'auto' is the only valid option for 'private_key_format' when 'backend' is not 'cryptography'")
    expect(parse({ path: '/k', passphrase: 'x' }).success).toBe(false)
    expect(parse({ path: '/k', type: 'ed25519', size: 1 }).data).toMatchObject({ size: 256 })
  })
})
