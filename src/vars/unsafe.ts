export class UnsafeText { constructor(readonly text: string) {} }
export function isUnsafe(v: unknown): v is UnsafeText { return v instanceof UnsafeText }
