// Two lab instances side by side on this machine, each with a node of the same name: both answer SSH on
// their own subnet, neither reaches the other, and `down` of one leaves the other (and any other lab,
// such as a developer's instance 0) running untouched. Needs root and the lab's tools; uses instances 8
// and 9 so it never meets a lab someone is using.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { labDown, labExec, labSsh, labSupport, labUp, type LabInfo } from '../../src/lab/index.js'
import { withFileLock } from '../../src/lab/lock.js'
import { mountsUnder } from '../../src/lab/mounts.js'
import { instanceDir, labDir } from '../../src/lab/paths.js'
import { alive, labNspawns, leaderOf, orphanInits, sleep } from '../../src/lab/processes.js'
import { tryRun } from '../../src/lab/run.js'

const A = 8
const B = 9
const support = labSupport()

/** Runs `fn` with PGHA_LAB_INSTANCE set to `n` (the lab reads it on every call, so calls stay sequential). */
async function inInstance<T>(n: number, fn: () => Promise<T>): Promise<T> {
  const saved = process.env.PGHA_LAB_INSTANCE
  process.env.PGHA_LAB_INSTANCE = String(n)
  try {
    return await fn()
  } finally {
    if (saved === undefined) delete process.env.PGHA_LAB_INSTANCE
    else process.env.PGHA_LAB_INSTANCE = saved
  }
}

/** pid of every running node of every instance but A and B, keyed `instance/node`. */
function otherLabs(): Map<string, number> {
  const found = new Map<string, number>()
  for (let i = 0; i <= 9; i++) {
    if (i === A || i === B) continue
    for (const [node, pid] of labNspawns(i)) found.set(`${i}/${node}`, pid)
  }
  return found
}

const ip = async (...args: string[]) => (await tryRun('ip', args)).stdout

/** Every netns and link name on the machine. */
async function machineNetworks(): Promise<string[]> {
  const ns = (await ip('netns', 'list')).split('\n').map((l) => `netns ${l.split(' ')[0]}`)
  const links = (await ip('-o', 'link', 'show')).split('\n').map((l) => `link ${(l.split(': ')[1] ?? '').split('@')[0]}`)
  return [...ns, ...links].filter((x) => !x.endsWith(' ')).sort()
}
const ofInstance = (n: number) => (x: string): boolean =>
  x.startsWith(`netns pgha${n}-`) || x.startsWith(`link pg${n}v-`) || x === `link pgha-br${n}`

describe.skipIf(!support.ok)(`lab instances ${A} and ${B} side by side (${support.reason ?? 'root, Linux'})`, () => {
  afterAll(async () => {
    for (const n of [A, B]) await inInstance(n, () => labDown())
  }, 180_000)

  it(`brings up node1 in both, downs ${A}, and ${B} still answers SSH while no other lab was touched`, async () => {
    await exclusive(async () => {
      const others = otherLabs()
      const networksBefore = await machineNetworks()
      const { a, b } = await upBoth()
      expect([a.instance, a.nodes, b.instance, b.nodes]).toEqual([
        A, [{ name: 'node1', address: `10.77.${A}.11` }], B, [{ name: 'node1', address: `10.77.${B}.11` }],
      ])
      expect(await ip('route', 'get', `10.77.${A}.11`)).toMatch(new RegExp(`\\bdev pgha-br${A}\\b`))
      expect(await ip('route', 'get', `10.77.${B}.11`)).toMatch(new RegExp(`\\bdev pgha-br${B}\\b`))
      for (const n of [A, B]) {
        const r = await inInstance(n, () => labSsh('node1', 'hostname; ip -4 -o addr show dev eth0'))
        expect(r.rc, r.stderr).toBe(0)
        expect(r.stdout).toMatch(new RegExp(`^node1\\n.*inet 10\\.77\\.${n}\\.11/24`))
      }
      // A node has only its own /24: the other instance's node is unreachable.
      const cross = await inInstance(B, () => labExec('node1', `ip route get 10.77.${A}.11 2>&1`))
      expect(cross.stdout).toMatch(/Network is unreachable/)
      const bPid = labNspawns(B).get('node1')
      expect(bPid).toBeGreaterThan(0)

      await inInstance(A, () => labDown())

      expect(labNspawns(A).size).toBe(0)
      expect((await tryRun('ip', ['link', 'show', `pgha-br${A}`])).rc).not.toBe(0)
      expect((await ip('netns', 'list')).split('\n').filter((l) => l.startsWith(`pgha${A}-`))).toEqual([])
      expect((await ip('-o', 'link', 'show')).split('\n').filter((l) => l.includes(`pg${A}v-`))).toEqual([])
      expect(mountsUnder(instanceDir(A))).toEqual([])
      // B: same process, same bridge, same mount, and sshd still answers with B's host key.
      expect(labNspawns(B).get('node1')).toBe(bPid)
      expect((await ip('-o', 'link', 'show', `pgha-br${B}`))).toMatch(/state UP/)
      expect(mountsUnder(instanceDir(B)).length).toBeGreaterThan(0)
      const after = await inInstance(B, () => labSsh('node1', 'hostname'))
      expect(after, after.stderr).toMatchObject({ rc: 0, stdout: 'node1' })
      for (const [name, pid] of others) expect(alive(pid), `${name} (pid ${pid}) of another lab`).toBe(true)
      // Every netns and link that is not A's is still there: B's, instance 0's, the host's.
      const networksAfter = await machineNetworks()
      expect(networksAfter.filter(ofInstance(A))).toEqual([])
      expect(networksAfter.filter(ofInstance(B))).toEqual([`link pg${B}v-node1`, `link pgha-br${B}`, `netns pgha${B}-node1`])
      expect(networksAfter).toEqual(expect.arrayContaining(networksBefore.filter((x) => !ofInstance(A)(x) && !ofInstance(B)(x))))
    })
  }, 900_000)

  it(`leaves a node of ${B} whose nspawn was killed (an orphaned init) to ${B}'s own down`, async () => {
    await exclusive(async () => {
      await upBoth()
      const nspawn = labNspawns(B).get('node1')!
      const init = leaderOf(nspawn)!
      process.kill(nspawn, 'SIGKILL')
      for (let i = 0; alive(nspawn) && i < 100; i++) await sleep(50)
      expect(alive(nspawn)).toBe(false)
      expect([orphanInits(B), orphanInits(A), orphanInits(0)]).toEqual([[init], [], []])

      await inInstance(A, () => labDown())
      expect(alive(init)).toBe(true)
      const r = await inInstance(B, () => labSsh('node1', 'hostname'))
      expect(r, r.stderr).toMatchObject({ rc: 0, stdout: 'node1' })

      await inInstance(B, () => labDown())
      expect(alive(init)).toBe(false)
      expect((await machineNetworks()).filter(ofInstance(B))).toEqual([])
      expect(mountsUnder(instanceDir(B))).toEqual([])
    })
  }, 900_000)
})

/** Two runs of this file at once on one machine would down each other's instances. */
function exclusive(fn: () => Promise<void>): Promise<void> {
  return withFileLock(join(labDir(), 'instances-test.lock'), fn, 600_000)
}

/** node1 in A and in B, each with its inventory in a temporary directory. */
async function upBoth(): Promise<{ a: LabInfo; b: LabInfo }> {
  const dir = mkdtempSync(join(tmpdir(), 'pgha-lab-instances-'))
  const a = await inInstance(A, () => labUp({ nodes: ['node1'], inventory: join(dir, 'a.yml') }))
  const b = await inInstance(B, () => labUp({ nodes: ['node1'], inventory: join(dir, 'b.yml') }))
  return { a, b }
}
