// ssh2's key parser, which its package index exports as utils.parseKey: imported from its own file so
// that the bundle, which keeps only ssh2's Client (scripts/bundle.js), shares it with the Client.
// A CommonJS file: node's ESM loader (dist/, which bench/profile.js imports) gives it only as a default export.
declare module 'ssh2/lib/protocol/keyParser.js' {
  import type { ParsedKey } from 'ssh2'
  const keyParser: { parseKey(data: Buffer | string | ParsedKey, passphrase?: Buffer | string): ParsedKey | Error }
  export default keyParser
}
