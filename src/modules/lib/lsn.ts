// PostgreSQL WAL positions (LSNs, `16/B374D848`) as 64-bit integers, for differences in bytes.

/** `X/Y` (hex) as a byte position; throws on anything else. */
export function parseLsn(lsn: string): bigint {
  const m = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(lsn.trim())
  if (!m) throw new Error(`not a WAL position (LSN): ${lsn}`)
  return (BigInt(`0x${m[1]}`) << 32n) | BigInt(`0x${m[2]}`)
}

/** A byte position as PostgreSQL prints it. */
export function formatLsn(pos: bigint): string {
  return `${(pos >> 32n).toString(16).toUpperCase()}/${(pos & 0xffffffffn).toString(16).toUpperCase()}`
}
