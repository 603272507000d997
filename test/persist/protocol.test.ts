// The run server's wire format: frames survive any split of the byte stream, and a peer that is not a pgha
// client (a length no message comes near) is refused before its bytes are buffered.
import { describe, expect, it } from 'vitest'
import { FRAME, FrameReader, frame, messageFrame } from '../../src/persist/protocol.js'

type Got = [number, string]

function readAll(chunks: Buffer[]): Got[] {
  const got: Got[] = []
  const reader = new FrameReader((type, payload) => got.push([type, payload.toString('latin1')]))
  for (const c of chunks) reader.push(c)
  return got
}

/** A deterministic pseudo-random generator, so a failure names the split that broke it. */
function lcg(seed: number): () => number {
  let x = seed
  return () => (x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
}

describe('FrameReader', () => {
  // Output bytes of every value (a run may write any), an empty frame, a message, and one larger than a
  // socket read (64 KiB), so lengths cross byte boundaries of the 32-bit field too.
  const binary = Buffer.from(Array.from({ length: 256 }, (_, i) => i))
  const big = Buffer.alloc(200_000, 'x')
  const sent: Got[] = [
    [FRAME.stdout, binary.toString('latin1')],
    [FRAME.stderr, ''],
    [FRAME.message, JSON.stringify({ t: 'exit', code: 4 })],
    [FRAME.stdout, big.toString('latin1')],
    [FRAME.stderr, 'é\n'],
  ]
  const stream = Buffer.concat([
    frame(FRAME.stdout, binary), frame(FRAME.stderr, ''), messageFrame({ t: 'exit', code: 4 }), frame(FRAME.stdout, big),
    frame(FRAME.stderr, Buffer.from('é\n', 'latin1')),
  ])

  it('reads the frames from one chunk and from one byte at a time', () => {
    expect(readAll([stream])).toEqual(sent)
    expect(readAll([...stream].map((b) => Buffer.from([b])))).toEqual(sent)
  })

  it('reads the frames whatever the chunk boundaries', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const next = lcg(seed)
      const chunks: Buffer[] = []
      for (let at = 0; at < stream.length;) {
        // Mostly short chunks (splits inside the 5-byte header), now and then a long one.
        const n = 1 + Math.floor(next() < 0.8 ? next() * 8 : next() * 70_000)
        chunks.push(stream.subarray(at, at + n))
        at += n
      }
      expect(readAll(chunks), `seed ${seed}`).toEqual(sent)
    }
  })

  it('holds back a frame until its last byte arrives', () => {
    const got: Got[] = []
    const reader = new FrameReader((type, payload) => got.push([type, payload.toString()]))
    const f = messageFrame({ t: 'signal', name: 'SIGINT' })
    reader.push(f.subarray(0, f.length - 1))
    expect(got).toEqual([])
    reader.push(f.subarray(f.length - 1))
    expect(got).toEqual([[FRAME.message, '{"t":"signal","name":"SIGINT"}']])
  })

  it('refuses a frame longer than 64 MiB from its header alone', () => {
    const head = Buffer.from([FRAME.stdout, 0, 0, 0, 0])
    head.writeUInt32BE(64 * 1024 * 1024 + 1, 1)
    const reader = new FrameReader(() => undefined)
    expect(() => reader.push(head)).toThrow(/frame of 67108865 bytes/)
    // 64 MiB itself is a frame a peer may send: the header alone is no error, the reader waits for the rest.
    head.writeUInt32BE(64 * 1024 * 1024, 1)
    expect(() => new FrameReader(() => undefined).push(head)).not.toThrow()
  })

  it('refuses an oversized frame that follows good ones, after delivering those', () => {
    const got: Got[] = []
    const reader = new FrameReader((type, payload) => got.push([type, payload.toString()]))
    const bad = Buffer.from([FRAME.message, 0xff, 0xff, 0xff, 0xff])
    expect(() => reader.push(Buffer.concat([frame(FRAME.stdout, 'ok'), bad]))).toThrow(/frame of 4294967295 bytes/)
    expect(got).toEqual([[FRAME.stdout, 'ok']])
  })
})
