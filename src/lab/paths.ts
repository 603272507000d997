// Where the lab keeps its cache and state: outside the repo (PGHA_LAB_DIR), so clean clones reuse the
// image and a running lab. Every name a lab puts on the machine (bridge, netns, veth, state directory)
// depends on its instance (PGHA_LAB_INSTANCE, 0..9); instance 0 keeps the names of the single-lab days.
import { join } from 'node:path'
import { ConfigError } from '../errors.js'

export const MAX_INSTANCE = 9

/** Parses an instance number given by the user; `from` names where it came from, for the message. */
export function parseLabInstance(value: string | undefined, from = 'PGHA_LAB_INSTANCE'): number {
  if (value === undefined || value.trim() === '') return 0
  if (!/^\d$/.test(value.trim())) throw new ConfigError(`lab: ${from} must be a number 0..${MAX_INSTANCE}, not "${value}"`)
  return Number(value.trim())
}

/** The instance every lab function works on: PGHA_LAB_INSTANCE (the CLI's --instance sets it). */
export function labInstance(): number {
  return parseLabInstance(process.env.PGHA_LAB_INSTANCE)
}

export interface LabNet {
  bridge: string
  /** First three octets of the /24. */
  prefix: string
  hostAddress: string
}

export function labNet(instance = labInstance()): LabNet {
  return { bridge: `pgha-br${instance}`, prefix: `10.77.${instance}`, hostAddress: `10.77.${instance}.1` }
}

export function labDir(): string {
  return process.env.PGHA_LAB_DIR || '/var/lib/pgha-lab'
}

/** State, lock and nodes of one instance; instance 0 keeps them at the top of the lab directory. */
export function instanceDir(instance = labInstance()): string {
  return instance === 0 ? labDir() : join(labDir(), 'instances', String(instance))
}

/** The image cache, the lab key, the source tarballs and builds are shared by every instance; the rest is its own. */
export const labPaths = {
  images: () => join(labDir(), 'images'),
  image: (hash: string) => join(labDir(), 'images', hash),
  key: () => join(labDir(), 'id_ed25519'),
  src: () => join(labDir(), 'src'),
  /** Builds from source kept for every instance, by key (src/lab/postgres-source.ts). */
  builds: () => join(labDir(), 'builds'),
  build: (key: string) => join(labDir(), 'builds', key),
  /** Lock around one shared resource ('image', 'key', 'src', 'build'), taken by whichever instance builds it. */
  sharedLock: (name: string) => join(labDir(), `${name}.lock`),
  nodes: () => join(instanceDir(), 'nodes'),
  node: (name: string) => join(instanceDir(), 'nodes', name),
  state: () => join(instanceDir(), 'state.json'),
  lock: () => join(instanceDir(), 'lock'),
}

/** Per-node directories: overlay upper/work, the mounted root, the boot log, the nspawn pid, host keys. */
export function nodePaths(name: string) {
  const dir = labPaths.node(name)
  return {
    dir,
    upper: join(dir, 'upper'),
    work: join(dir, 'work'),
    root: join(dir, 'root'),
    log: join(dir, 'log'),
    pid: join(dir, 'pid'),
    hostKeys: join(dir, 'hostkeys'),
  }
}

// Node names start with a letter, so `pgha-` (instance 0) and `pgha<N>-` never share a name, and the
// veth `pg<N>v-` + 8 characters fits IFNAMSIZ (15) as `pgha-v-` + 8 does.
const netnsPrefix = (instance: number): string => (instance === 0 ? 'pgha-' : `pgha${instance}-`)
const vethPrefix = (instance: number): string => (instance === 0 ? 'pgha-v-' : `pg${instance}v-`)

export const netnsOf = (node: string, instance = labInstance()): string => `${netnsPrefix(instance)}${node}`
export const vethOf = (node: string, instance = labInstance()): string => `${vethPrefix(instance)}${node}`
/** The nspawn machine name; instance 0 keeps the bare node name. */
export const machineOf = (node: string, instance = labInstance()): string => (instance === 0 ? node : netnsOf(node, instance))
/** PGHA_LAB_NODE's value: `/` never occurs in a node name, so `<N>/<node>` cannot be mistaken for instance 0. */
export const markOf = (node: string, instance = labInstance()): string => (instance === 0 ? node : `${instance}/${node}`)

/** The node a netns name belongs to in `instance`, or undefined when it is not one of that instance's. */
export function nodeOfNetns(ns: string, instance = labInstance()): string | undefined {
  const prefix = netnsPrefix(instance)
  return ns.startsWith(prefix) && /^[a-z]/.test(ns.slice(prefix.length)) ? ns.slice(prefix.length) : undefined
}

export function nodeOfVeth(veth: string, instance = labInstance()): string | undefined {
  const prefix = vethPrefix(instance)
  return veth.startsWith(prefix) && /^[a-z]/.test(veth.slice(prefix.length)) ? veth.slice(prefix.length) : undefined
}

/** The instance a PGHA_LAB_NODE value belongs to. */
export function instanceOfMark(value: string): number {
  const slash = value.indexOf('/')
  return slash < 0 ? 0 : Number(value.slice(0, slash))
}

/** Default inventory path of an instance (relative to the working directory); known_hosts goes next to it. */
export const defaultInventory = (instance = labInstance()): string => (instance === 0 ? 'inventory/lab.yml' : `inventory/lab${instance}.yml`)
