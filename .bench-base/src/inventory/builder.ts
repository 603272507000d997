// What the INI and YAML parsers produce: groups, hosts, memberships and inline variables, each with the
// place it was written. Several files (an inventory directory) feed one builder; resolve.ts turns it into
// an Inventory. Problems are collected here so that every one of them is reported at once.
import { ConfigError, type SourceLocation } from '../errors.js'
import type { Vars } from './types.js'

/** Variables with where each one was set. */
export interface LocatedVars {
  vars: Vars
  locs: Map<string, SourceLocation>
}

export interface RawGroup {
  name: string
  loc?: SourceLocation
  /** Hosts listed directly in the group, in the order written. */
  hosts: string[]
  children: { name: string; loc?: SourceLocation }[]
  vars: LocatedVars
}

export interface RawHost {
  name: string
  loc?: SourceLocation
  vars: LocatedVars
}

export function emptyVars(): LocatedVars {
  return { vars: {}, locs: new Map() }
}

export function setVar(target: LocatedVars, key: string, value: unknown, loc?: SourceLocation): void {
  target.vars[key] = value
  if (loc) target.locs.set(key, loc)
  else target.locs.delete(key)
}

export class InventoryBuilder {
  readonly groups = new Map<string, RawGroup>()
  /** In the order hosts first appear: this is the inventory order of `all` and of every pattern. */
  readonly hosts = new Map<string, RawHost>()
  readonly errors: ConfigError[] = []
  readonly warnings: ConfigError[] = []

  constructor() {
    this.group('all')
    this.group('ungrouped')
  }

  /** The group, created on first mention; its location is where it was first written. */
  group(name: string, loc?: SourceLocation): RawGroup {
    let g = this.groups.get(name)
    if (!g) {
      g = { name, loc, hosts: [], children: [], vars: emptyVars() }
      this.groups.set(name, g)
    }
    g.loc ??= loc
    return g
  }

  /** Adds a host to a group (once); a host seen again keeps its first location. */
  addHost(group: string, name: string, loc?: SourceLocation): RawHost {
    let h = this.hosts.get(name)
    if (!h) {
      h = { name, loc, vars: emptyVars() }
      this.hosts.set(name, h)
    }
    const g = this.group(group)
    if (!g.hosts.includes(name)) g.hosts.push(name)
    return h
  }

  addChild(parent: string, child: string, loc?: SourceLocation): void {
    if (child === 'all') return this.error(`group 'all' cannot be a child of '${parent}': every group is already in 'all'`, loc)
    const g = this.group(parent)
    if (!g.children.some((c) => c.name === child)) g.children.push({ name: child, loc })
  }

  error(message: string, loc?: SourceLocation): void {
    this.errors.push(new ConfigError(message, loc))
  }

  warn(message: string, loc?: SourceLocation): void {
    this.warnings.push(new ConfigError(message, loc))
  }
}
