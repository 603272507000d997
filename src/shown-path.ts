// How a path is shown to the user, and named by the positions of what is read from it.
import { relative } from 'node:path'

/** A path relative to the working directory when it is below it (as the user would type it). */
export function shownPath(path: string): string {
  const rel = relative(process.cwd(), path)
  return rel === '' || rel.startsWith('..') ? path : rel
}
