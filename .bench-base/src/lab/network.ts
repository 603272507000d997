// The lab network: bridge pgha-br<N> (10.77.<N>.1/24) on the host for instance N, one netns per node
// joined by a veth. No default route, no NAT, no forwarding: nodes reach each other and the host, nothing
// else: a node's only route is its own /24, so no instance reaches another's nodes.
import { existsSync } from 'node:fs'
import { PghaError } from '../errors.js'
import { labNet, netnsOf, nodeOfNetns, nodeOfVeth, vethOf } from './paths.js'
import { run, tryRun } from './run.js'

const ip = (args: string[]) => run('ip', args)
const tryIp = (args: string[]) => tryRun('ip', args)

export async function ensureBridge(): Promise<void> {
  const net = labNet()
  if ((await tryIp(['link', 'show', net.bridge])).rc !== 0) {
    await ip(['link', 'add', net.bridge, 'type', 'bridge'])
  }
  const addrs = await ip(['-o', '-4', 'addr', 'show', 'dev', net.bridge])
  if (!addrs.includes(`${net.hostAddress}/24`)) await ip(['addr', 'add', `${net.hostAddress}/24`, 'dev', net.bridge])
  await ip(['link', 'set', net.bridge, 'up'])
}

/** Creates the node's netns and veth (replacing any leftover) and gives it its address. */
export async function createNodeNetwork(node: string, address: string): Promise<void> {
  await removeNodeNetwork(node)
  const ns = netnsOf(node)
  await ip(['netns', 'add', ns])
  await ip(['link', 'add', vethOf(node), 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns])
  await ip(['link', 'set', vethOf(node), 'master', labNet().bridge, 'up'])
  await ip(['-n', ns, 'addr', 'add', `${address}/24`, 'dev', 'eth0'])
  await ip(['-n', ns, 'link', 'set', 'lo', 'up'])
  await ip(['-n', ns, 'link', 'set', 'eth0', 'up'])
}

export async function removeNodeNetwork(node: string): Promise<void> {
  await tryIp(['link', 'del', vethOf(node)])
  if (existsSync(`/run/netns/${netnsOf(node)}`)) await tryIp(['netns', 'del', netnsOf(node)])
}

export async function removeBridge(): Promise<void> {
  await tryIp(['link', 'del', labNet().bridge])
}

/** Every netns and host-side veth of this instance on the machine, whether or not the state knows it. */
export async function leftoverNetworks(): Promise<{ netns: string[]; veths: string[] }> {
  const ns = (await tryIp(['netns', 'list'])).stdout
  const links = (await tryIp(['-o', 'link', 'show'])).stdout
  return {
    netns: ns.split('\n').map((l) => l.split(' ')[0] ?? '').filter((n) => nodeOfNetns(n) !== undefined),
    veths: links.split('\n').map((l) => (l.split(': ')[1] ?? '').split('@')[0] ?? '').filter((n) => nodeOfVeth(n) !== undefined),
  }
}

/** Refuses to go on unless the host's route to `address` leaves through this instance's bridge. */
export async function assertRoutedThroughBridge(address: string): Promise<void> {
  const net = labNet()
  const route = await ip(['route', 'get', address])
  if (!new RegExp(`\\bdev ${net.bridge}\\b`).test(route)) {
    throw new PghaError('internal', `lab: the route to ${address} does not go through ${net.bridge}: ${route.trim()}`)
  }
}

/** Full cut: the node's veth goes down, so it can reach nobody and nobody reaches it. */
export async function cutNode(node: string): Promise<void> {
  await ip(['link', 'set', vethOf(node), 'down'])
}

/** A one-way-initiated partition: `node` drops its route to `peer`, so neither can talk to the other. */
export async function partition(node: string, peerAddress: string): Promise<void> {
  await tryIp(['-n', netnsOf(node), 'route', 'del', 'blackhole', `${peerAddress}/32`])
  await ip(['-n', netnsOf(node), 'route', 'add', 'blackhole', `${peerAddress}/32`])
}

/** Brings every veth back up and removes every blackhole route inside the node's netns. */
export async function healNode(node: string): Promise<void> {
  await ip(['link', 'set', vethOf(node), 'up'])
  const routes = (await tryIp(['-n', netnsOf(node), 'route', 'show', 'type', 'blackhole'])).stdout
  for (const line of routes.split('\n').filter(Boolean)) {
    await tryIp(['-n', netnsOf(node), 'route', 'del', ...line.trim().split(/\s+/)])
  }
}
