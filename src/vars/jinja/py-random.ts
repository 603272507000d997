// Python's random.Random (MT19937 with Python's seeding), so `random(seed=inventory_hostname)` and
// `shuffle(seed=...)` pick what Ansible picks: string seeds are hashed with SHA-512 as Python 3 does.
import { createHash, randomInt } from 'node:crypto'
import { isInt, num, pyStr, ValueError } from './values.js'

const N = 624
const M = 397

class MersenneTwister {
  private mt = new Uint32Array(N)
  private i = N + 1

  constructor(key: number[]) {
    this.initGenrand(19650218)
    const mt = this.mt
    let i = 1
    let j = 0
    for (let k = Math.max(N, key.length); k > 0; k--) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30)
      mt[i] = ((mt[i] ^ Math.imul(prev, 1664525)) + key[j] + j) >>> 0
      i++
      j++
      if (i >= N) {
        mt[0] = mt[N - 1]
        i = 1
      }
      if (j >= key.length) j = 0
    }
    for (let k = N - 1; k > 0; k--) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30)
      mt[i] = ((mt[i] ^ Math.imul(prev, 1566083941)) - i) >>> 0
      i++
      if (i >= N) {
        mt[0] = mt[N - 1]
        i = 1
      }
    }
    mt[0] = 0x80000000
  }

  private initGenrand(s: number): void {
    this.mt[0] = s >>> 0
    for (let i = 1; i < N; i++) {
      const prev = this.mt[i - 1] ^ (this.mt[i - 1] >>> 30)
      this.mt[i] = (Math.imul(1812433253, prev) + i) >>> 0
    }
    this.i = N
  }

  uint32(): number {
    const mt = this.mt
    if (this.i >= N) {
      for (let k = 0; k < N; k++) {
        const y = (mt[k] & 0x80000000) | (mt[(k + 1) % N] & 0x7fffffff)
        mt[k] = mt[(k + M) % N] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0)
      }
      this.i = 0
    }
    let y = mt[this.i++]
    y ^= y >>> 11
    y ^= (y << 7) & 0x9d2c5680
    y ^= (y << 15) & 0xefc60000
    y ^= y >>> 18
    return y >>> 0
  }
}

/** The 32-bit words of a non-negative integer, least significant first (Python's init_by_array key). */
function words(n: bigint): number[] {
  const out: number[] = []
  for (let x = n; x > 0n; x >>= 32n) out.push(Number(x & 0xffffffffn))
  return out.length > 0 ? out : [0]
}

function seedKey(seed: unknown): number[] {
  if (isInt(seed) || typeof seed === 'boolean') return words(BigInt(Math.abs(num(seed))))
  const bytes = Buffer.from(pyStr(seed), 'utf8')
  const all = Buffer.concat([bytes, createHash('sha512').update(bytes).digest()])
  return words(BigInt('0x' + (all.toString('hex') || '0')))
}

export interface PyRandom {
  randbelow(n: number): number
  randrange(start: number, stop: number, step: number): number
  shuffle(items: unknown[]): void
}

/** Python's Random(seed), or an unseeded one from the system's randomness. */
export function pyRandom(seed?: unknown): PyRandom {
  const mt = seed === undefined ? undefined : new MersenneTwister(seedKey(seed))
  const bits = (k: number): number => {
    if (!mt) return randomInt(0, 2 ** Math.min(k, 47))
    if (k <= 32) return mt.uint32() >>> (32 - k)
    let r = 0
    let scale = 1
    for (let left = k; left > 0; left -= 32) {
      let w = mt.uint32()
      if (left < 32) w >>>= 32 - left
      r += w * scale
      scale *= 2 ** 32
    }
    return r
  }
  const randbelow = (n: number): number => {
    const k = n.toString(2).length
    let r = bits(k)
    while (r >= n) r = bits(k)
    return r
  }
  return {
    randbelow,
    randrange(start, stop, step) {
      const width = stop - start
      if (step === 1) {
        if (width > 0) return start + randbelow(width)
        throw new ValueError(`empty range for randrange() (${start}, ${stop}, ${width})`)
      }
      const n = step > 0 ? Math.floor((width + step - 1) / step) : Math.floor((width + step + 1) / step)
      if (n <= 0) throw new ValueError('empty range for randrange()')
      return start + step * randbelow(n)
    },
    shuffle(items) {
      for (let i = items.length - 1; i > 0; i--) {
        const j = randbelow(i + 1)
        ;[items[i], items[j]] = [items[j], items[i]]
      }
    },
  }
}
