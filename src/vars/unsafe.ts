// A string the playbook marked `!unsafe`: data, never a template.
export class UnsafeText {
  constructor(readonly text: string) {}
}

export function isUnsafe(v: unknown): v is UnsafeText {
  return v instanceof UnsafeText
}
