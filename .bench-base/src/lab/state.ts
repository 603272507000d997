// What the running lab is: written by `up`, read by status/exec/cut/down and by the e2e harness.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { labDir, labPaths } from './paths.js'
import type { LabNode } from './node.js'

export interface LabState {
  /** Recipe hash of the image the nodes run on. */
  image: string
  nodes: LabNode[]
  inventory: string
  knownHosts: string
  witness?: string
}

export function readState(): LabState | undefined {
  try {
    return JSON.parse(readFileSync(labPaths.state(), 'utf8')) as LabState
  } catch {
    return undefined
  }
}

export function writeState(state: LabState): void {
  mkdirSync(labDir(), { recursive: true })
  writeFileSync(labPaths.state(), `${JSON.stringify(state, null, 2)}\n`)
}

export function clearState(): void {
  if (existsSync(labPaths.state())) rmSync(labPaths.state())
}
