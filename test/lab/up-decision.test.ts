// `lab up` and `demo` never destroy a running lab unless told: they reuse the lab asked for, clear what
// a stopped or crashed lab left, and otherwise stop with the commands that replace it, remove it, or put
// another lab beside it.
import { describe, expect, it } from 'vitest'
import type { LabState } from '../../src/lab/index.js'
import { decideUp, type FoundNode, type UpRequest } from '../../src/lab/up-decision.js'

const node = (name: string, i: number) => ({ name, address: `10.77.0.${10 + i}` })
const state = (names: string[], image = 'img1'): LabState => ({
  image, nodes: names.map((n, i) => node(n, i + 1)), inventory: '/repo/inventory/lab.yml', knownHosts: '/repo/inventory/lab.known_hosts',
})
const up = (name: string): FoundNode => ({ name, running: true, sshd: true })
const request = (over: Partial<UpRequest>): UpRequest => ({
  current: state(['node1', 'node2']), wanted: state(['node1', 'node2']), found: [up('node1'), up('node2')],
  force: false, instance: 0, command: ['lab', 'up'], ...over,
})

describe('decideUp', () => {
  it('reuses the running lab that was asked for', () => {
    expect(decideUp(request({}))).toEqual({ action: 'reuse' })
  })

  it('boots when nothing of the instance runs, whatever a stopped lab left', () => {
    expect(decideUp(request({ current: undefined, found: [] }))).toEqual({ action: 'boot' })
    const stopped = [{ name: 'node1', running: false, sshd: false }, { name: 'node2', running: false, sshd: false }]
    expect(decideUp(request({ current: state(['node1', 'node2', 'node3']), found: stopped }))).toEqual({ action: 'boot' })
  })

  it('leaves a running lab with other nodes alone, saying how to replace it, remove it, or use another instance', () => {
    const d = decideUp(request({ wanted: state(['node1', 'node2', 'node3']) }))
    expect(d.action).toBe('refuse')
    const message = (d as { message: string }).message
    expect(message).toContain('lab instance 0 is running (node1, node2) but it has the nodes node1 10.77.0.11, node2 10.77.0.12, not node1 10.77.0.11, node2 10.77.0.12, node3 10.77.0.13')
    expect(message).toContain('To replace it: npx pgha lab up --force; to remove it: npx pgha lab down; or use another lab beside it: npx pgha lab up --instance 1')
  })

  it('replaces it when told to with --force, saying what it replaces', () => {
    const d = decideUp(request({ wanted: state(['node1', 'node2', 'node3']), force: true }))
    expect(d).toMatchObject({ action: 'replace', why: expect.stringContaining('lab instance 0 is running (node1, node2) but it has the nodes') })
  })

  it("names the instance and the user's own command in the hints (demo in instance 3)", () => {
    const d = decideUp(request({ wanted: state(['node1']), instance: 3, command: ['demo', '--nodes', 'node1'] }))
    expect((d as { message: string }).message).toContain(
      'To replace it: npx pgha demo --nodes node1 --instance 3 --force; to remove it: npx pgha lab down --instance 3; or use another lab beside it: npx pgha demo --nodes node1 --instance 4',
    )
    const last = decideUp(request({ wanted: state(['node1']), instance: 9 }))
    expect((last as { message: string }).message).toMatch(/beside it: npx pgha lab up --instance 8$/)
  })

  it('does not replace a lab built from an older image, or one whose node is down or silent, without --force', () => {
    expect(decideUp(request({ wanted: state(['node1', 'node2'], 'img2') }))).toMatchObject({
      action: 'refuse', message: expect.stringContaining("its image (img1) is not the current recipe's (img2)"),
    })
    expect(decideUp(request({ found: [up('node1'), { name: 'node2', running: false, sshd: false }] }))).toMatchObject({
      action: 'refuse', message: expect.stringContaining('but node2 is not running'),
    })
    expect(decideUp(request({ found: [up('node1'), { name: 'node2', running: true, sshd: false }] }))).toMatchObject({
      action: 'refuse', message: expect.stringContaining('but sshd does not answer on node2'),
    })
  })

  it('does not replace nodes that run without a state file, or beside the state, without --force', () => {
    expect(decideUp(request({ current: undefined, found: [up('node1')] }))).toMatchObject({
      action: 'refuse', message: expect.stringContaining('lab instance 0 is running (node1) but it has no state file'),
    })
    expect(decideUp(request({ found: [up('node1'), up('node2'), up('node7')] }))).toMatchObject({
      action: 'refuse', message: expect.stringContaining('node7 runs without being in its state'),
    })
  })
})
