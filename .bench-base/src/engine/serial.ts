// `serial`: run a play on batches of hosts (a number, or a percentage of the play's hosts).
export function serialBatches(hosts: string[], serial: number | string | undefined): string[][] {
  if (serial === undefined) return [hosts]
  const n = typeof serial === 'string' && serial.endsWith('%')
    ? Math.ceil((hosts.length * Number(serial.slice(0, -1))) / 100)
    : Number(serial)
  const size = Number.isFinite(n) && n > 0 ? n : hosts.length
  const out: string[][] = []
  for (let i = 0; i < hosts.length; i += size) out.push(hosts.slice(i, i + size))
  return out
}
