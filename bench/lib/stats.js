// Summary statistics for the benchmark: medians (robust to one slow round) and the pgha/Ansible ratio.

/** @param {number[]} values @returns {number} the median; NaN for no values */
export function median(values) {
  if (values.length === 0) return NaN
  const s = [...values].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2
}

/**
 * How many times faster pgha is: ansible / pgha, so 30 means "30x faster".
 * @param {number} pghaMs @param {number} ansibleMs @returns {number}
 */
export function speedup(pghaMs, ansibleMs) {
  return pghaMs > 0 ? ansibleMs / pghaMs : NaN
}

/** @param {number} ms @returns {string} `0.42 s` or `12.3 ms` */
export function fmtMs(ms) {
  if (!Number.isFinite(ms)) return 'n/a'
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`
}

/** @param {number} kb @returns {string} */
export function fmtKb(kb) {
  return Number.isFinite(kb) ? `${(kb / 1024).toFixed(0)} MB` : 'n/a'
}

/**
 * Two builds measured in alternation, round by round: each round's runs are minutes apart at most, so
 * their difference is far less exposed to the machine's drifting load than the two medians are.
 * @param {number[]} before @param {number[]} after the same rounds, in order
 * @returns {{ medianDelta: number, relative: number, slower: number, faster: number, p: number }} the median
 *   of after - before over the rounds, that against the median of before, how many rounds the after run was
 *   slower or faster, and the two-sided sign-test p of that split (ties left out)
 */
export function paired(before, after) {
  const deltas = before.map((b, i) => after[i] - b)
  const slower = deltas.filter((d) => d > 0).length
  const faster = deltas.filter((d) => d < 0).length
  const medianDelta = median(deltas)
  return { medianDelta, relative: medianDelta / median(before), slower, faster, p: signTest(slower, slower + faster) }
}

/**
 * The two-sided exact sign test: how likely a split at least this uneven is when either side is as
 * likely to win each round.
 * @param {number} k rounds won by one side @param {number} n rounds that were not ties @returns {number}
 */
export function signTest(k, n) {
  if (n === 0) return 1
  const tail = Math.min(k, n - k)
  let p = 0
  let c = 1 // C(n, 0)
  for (let i = 0; i <= tail; i++) {
    p += c
    c = (c * (n - i)) / (i + 1)
  }
  return Math.min(1, (2 * p) / 2 ** n)
}

/** @param {number} x a ratio @returns {string} `+1.2%` */
export function fmtPct(x) {
  return Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%` : 'n/a'
}
