// Octal and symbolic (chmod-style) modes resolved against a file's current mode, so plan can compare them.

const WHO: Record<string, number> = { u: 0o4700, g: 0o2070, o: 0o1007 }

/** The octal string ('0640') `wanted` gives when applied to a file now at `current` (octal string or undefined for new). */
export function resolveMode(wanted: string, current: string | undefined, isDir: boolean): string {
  if (/^[0-7]{4}$/.test(wanted)) return wanted
  let mode = current === undefined ? (isDir ? 0o755 : 0o644) : parseInt(current, 8)
  for (const clause of wanted.split(',')) {
    const m = /^([ugoa]*)(.*)$/.exec(clause)!
    const who = m[1] === '' || m[1].includes('a') ? 'ugo' : m[1]
    for (const op of m[2].match(/[-+=][rwxXst]*/g) ?? []) {
      let bits = 0
      for (const w of who) bits |= permBits(w, op.slice(1), mode, isDir)
      const mask = [...who].reduce((acc, w) => acc | WHO[w], 0)
      if (op[0] === '+') mode |= bits
      else if (op[0] === '-') mode &= ~bits
      else mode = (mode & ~mask) | bits
    }
  }
  return (mode & 0o7777).toString(8).padStart(4, '0')
}

function permBits(who: string, perms: string, mode: number, isDir: boolean): number {
  const shift = who === 'u' ? 6 : who === 'g' ? 3 : 0
  let bits = 0
  for (const p of perms) {
    if (p === 'r') bits |= 4 << shift
    else if (p === 'w') bits |= 2 << shift
    else if (p === 'x' || (p === 'X' && (isDir || (mode & 0o111) !== 0))) bits |= 1 << shift
    else if (p === 's' && who !== 'o') bits |= who === 'u' ? 0o4000 : 0o2000
    else if (p === 't' && who === 'o') bits |= 0o1000
  }
  return bits
}
