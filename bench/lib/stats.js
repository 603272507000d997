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
