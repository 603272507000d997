// openssl_dhparam against ansible-playbook's (community.crypto): the same status per task as the size,
// the mode and the state change, in check mode too, and the same file left behind (its size in bits and
// mode; the parameters themselves are random).
import { describe, expect, it } from 'vitest'
import { bothSides, dirlessStatuses, haveAnsible, statuses } from './ansible-differential.js'

const TASKS = `
    - name: generated
      community.crypto.openssl_dhparam: { path: DIR/dh.pem, size: 512, mode: "0640" }
    - name: generated again
      community.crypto.openssl_dhparam: { path: DIR/dh.pem, size: 512, mode: "0640" }
    - name: another size
      community.crypto.openssl_dhparam: { path: DIR/dh.pem, size: 768 }
    - name: another mode only
      community.crypto.openssl_dhparam: { path: DIR/dh.pem, size: 768, mode: "0600" }
    - name: forced
      community.crypto.openssl_dhparam: { path: DIR/dh.pem, size: 768, force: true }
    - name: not parameters
      copy: { dest: DIR/other.pem, content: "hello\\n", mode: "0644" }
    - name: over what is not parameters
      community.crypto.openssl_dhparam: { path: DIR/other.pem, size: 512 }
    - name: what is there
      shell: "cd DIR && for f in dh.pem other.pem; do echo $f $(stat -c %a $f) $(openssl dhparam -in $f -noout -text | head -n 1); done > report"
    - name: removed
      community.crypto.openssl_dhparam: { path: DIR/other.pem, state: absent }
    - name: removed again
      community.crypto.openssl_dhparam: { path: DIR/other.pem, state: absent }
    - name: in a missing directory
      community.crypto.openssl_dhparam: { path: DIR/nowhere/dh.pem, size: 512 }
      ignore_errors: true
`

const CHECK_TASKS = `
    - name: made for real
      community.crypto.openssl_dhparam: { path: DIR/dh.pem, size: 512 }
      check_mode: false
    - name: same in check mode
      community.crypto.openssl_dhparam: { path: DIR/dh.pem, size: 512 }
    - name: other size in check mode
      community.crypto.openssl_dhparam: { path: DIR/dh.pem, size: 768 }
    - name: new file in check mode
      community.crypto.openssl_dhparam: { path: DIR/new.pem, size: 512 }
    - name: what is there
      shell: "cd DIR && ls *.pem > report && openssl dhparam -in dh.pem -noout -text | head -n 1 >> report"
      check_mode: false
`

const withoutPem = (files: Record<string, string>) => Object.fromEntries(Object.entries(files).filter(([f]) => !f.endsWith('.pem')))

describe.skipIf(!haveAnsible)('openssl_dhparam, as ansible-playbook', () => {
  it('generates, keeps, regenerates for a size or force, sets the mode, removes', async () => {
    const { ansible, pgha } = await bothSides(TASKS)
    expect(dirlessStatuses(pgha)).toEqual(dirlessStatuses(ansible))
    expect(statuses(pgha)).toEqual([
      'generated: changed', 'generated again: ok', 'another size: changed', 'another mode only: changed', 'forced: changed',
      'not parameters: changed', 'over what is not parameters: changed', 'what is there: changed', 'removed: changed', 'removed again: ok',
      'in a missing directory: failed',
    ])
    expect(pgha.files.report).toBe('dh.pem 600 DH Parameters: (768 bit)\nother.pem 644 DH Parameters: (512 bit)\n')
    expect(withoutPem(pgha.files)).toEqual(withoutPem(ansible.files))
  }, 300_000)

  it('in check mode changes only what would change, and nothing on the host', async () => {
    const { ansible, pgha } = await bothSides(CHECK_TASKS, { check: true })
    expect(statuses(pgha)).toEqual(statuses(ansible))
    expect(statuses(pgha)).toEqual(['made for real: changed', 'same in check mode: ok', 'other size in check mode: changed', 'new file in check mode: changed', 'what is there: changed'])
    expect(pgha.files.report).toBe('dh.pem\n    DH Parameters: (512 bit)\n')
    expect(withoutPem(pgha.files)).toEqual(withoutPem(ansible.files))
  }, 300_000)
})
