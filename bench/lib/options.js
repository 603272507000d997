// The command-line options bench/run.js and bench/ab.js share: which lab instances, how many rounds,
// which scenarios, and whether the labs stay up afterwards.

/**
 * parseArgs option specs for the shared options.
 * @param {number} rounds the default number of rounds
 */
export function sharedOptions(rounds) {
  return {
    instance: { type: /** @type {const} */ ('string'), default: process.env.PGHA_LAB_INSTANCE ?? '0' },
    'wide-instance': { type: /** @type {const} */ ('string') },
    rounds: { type: /** @type {const} */ ('string'), default: String(rounds) },
    only: { type: /** @type {const} */ ('string'), default: 'a,b,c' },
    'wide-hosts': { type: /** @type {const} */ ('string'), default: '20' },
    'keep-lab': { type: /** @type {const} */ ('boolean'), default: false },
  }
}

/**
 * The shared options as numbers and a set: the 2-node instance, the wide scenario's instance (the same
 * unless given) and host count, the rounds, the scenarios to run.
 * @param {Record<string, string | boolean | undefined>} flags
 */
export function readShared(flags) {
  return {
    instance: Number(flags.instance),
    wideInstance: Number(flags['wide-instance'] ?? flags.instance),
    rounds: Number(flags.rounds),
    wideHosts: Number(flags['wide-hosts']),
    only: new Set(String(flags.only).split(',')),
  }
}
