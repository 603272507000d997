// The files a user names as input (playbooks, task files, vars files, inventories) are read here: regular files
// only, and at most MAX_INPUT_BYTES of them, so `/dev/zero`, a FIFO or a 200 MB file is an input error at once
// instead of a hang or an exhausted heap. A FIFO is opened without blocking, then refused by what fstat says.
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs'
import { ConfigError, ConfigErrors, type SourceLocation } from './errors.js'

const MIB = 1024 * 1024
const DEFAULT_MAX_BYTES = 10 * MIB

/** The largest input file pgha reads; PGHA_MAX_INPUT_BYTES raises (or lowers) it. */
export function maxInputBytes(): number {
  const set = Number(process.env.PGHA_MAX_INPUT_BYTES)
  return Number.isInteger(set) && set > 0 ? set : DEFAULT_MAX_BYTES
}

/** Why a file cannot be read as input: not found, not a regular file, too large... */
export class InputFileError extends Error {}

/**
 * Opens `file` when it is a regular file (a FIFO is opened without blocking, then refused), else throws an
 * InputFileError saying why. The caller closes the descriptor.
 */
export function openRegularFile(file: string): { fd: number; size: number } {
  if (file.includes('\0')) throw new InputFileError('a file name cannot contain a NUL byte')
  let fd: number
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK)
  } catch (err) {
    throw new InputFileError(openFailure(err as NodeJS.ErrnoException))
  }
  const stats = fstatSync(fd)
  if (!stats.isFile()) {
    closeSync(fd)
    throw new InputFileError(`it is ${kindOf(stats)}, not a regular file`)
  }
  return { fd, size: stats.size }
}

/** The bytes of a regular file of at most `max` bytes; an InputFileError saying why not. */
export function readRegularFile(file: string, max = maxInputBytes()): Buffer {
  const { fd, size: reported } = openRegularFile(file)
  const fail = (why: string): never => {
    throw new InputFileError(why)
  }
  try {
    if (reported > max) fail(`it is ${size(reported)}, over the ${size(max)} pgha reads (PGHA_MAX_INPUT_BYTES sets the limit)`)
    return readBounded(fd, reported, max, fail)
  } finally {
    closeSync(fd)
  }
}

/** The text of `file`; anything that keeps it from being input is a ConfigError at `from` (where it is named). */
export function readInputFile(file: string, from?: SourceLocation): string {
  try {
    return readRegularFile(file).toString('utf8')
  } catch (err) {
    if (!(err instanceof InputFileError)) throw err
    throw new ConfigErrors([new ConfigError(`cannot read ${JSON.stringify(file).slice(1, -1)}: ${err.message}`, from)])
  }
}

/**
 * Reads to the end, but never more than `max` bytes (a file in /proc reports size 0 and may not end): a
 * buffer of the size the file reported, then reads into a scratch buffer until the end (a file that grew,
 * or one that reports no size). Reading each small file into fresh 64 KiB
 * buffers made V8 collect garbage again and again for the memory outside its heap when every host reads
 * the same template or source.
 */
function readBounded(fd: number, reported: number, max: number, fail: (why: string) => never): Buffer {
  const chunks: Buffer[] = []
  let total = 0
  for (;;) {
    const room = max + 1 - total
    const sized = reported > total
    const chunk = sized ? Buffer.allocUnsafe(Math.min(reported - total, room)) : readScratch().subarray(0, Math.min(READ_CHUNK, room))
    const n = readSync(fd, chunk, 0, chunk.length, null)
    if (n === 0) break
    chunks.push(sized ? chunk.subarray(0, n) : Buffer.from(chunk.subarray(0, n)))
    total += n
    if (total > max) fail(`it holds more than the ${size(max)} pgha reads (PGHA_MAX_INPUT_BYTES sets the limit)`)
  }
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total)
}

const READ_CHUNK = 64 * 1024
let scratch: Buffer | undefined
/** Shared by every read (they are synchronous, so never two at once). */
const readScratch = (): Buffer => (scratch ??= Buffer.allocUnsafeSlow(READ_CHUNK))

function openFailure(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ENOENT':
      return 'file not found'
    case 'EACCES':
    case 'EPERM':
      return 'permission denied'
    case 'ENOTDIR':
      return 'a part of the path is not a directory'
    case 'ELOOP':
      return 'too many levels of symbolic links'
    default:
      return err.code ?? err.message
  }
}

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory'
  if (stats.isFIFO()) return 'a named pipe (FIFO)'
  if (stats.isSocket()) return 'a socket'
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device'
  return 'not a file'
}

function size(bytes: number): string {
  return bytes >= MIB ? `${(bytes / MIB).toFixed(bytes % MIB === 0 ? 0 : 1)} MiB` : `${bytes} bytes`
}
