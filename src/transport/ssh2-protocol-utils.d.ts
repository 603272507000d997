// ssh2's packet writer, reached from its own file as the key parser is (ssh2-key-parser.d.ts): pgha sends
// one message ssh2 has no method for (SSH_MSG_IGNORE, ssh-connect.ts). A CommonJS file: a default export.
declare module 'ssh2/lib/protocol/utils.js' {
  /** The part of ssh2's Protocol object a packet needs. */
  export interface SshProtocol {
    requestSuccess(): void
    _packetRW: { write: { allocStart: number; alloc(size: number): Buffer; finalize(packet: Buffer): Buffer } }
  }
  const utils: { sendPacket(proto: SshProtocol, packet: Buffer): void }
  export default utils
}
