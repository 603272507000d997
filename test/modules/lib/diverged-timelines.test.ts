// Which timelines are in the way of a standby of the live primary: those it neither is on nor descends
// from. A node promoted in a split brain and thrown away leaves one; a later promotion of the kept lineage
// takes a number past it, so the number alone never decides. The primary's own lineage is never taken.
import { describe, expect, it } from 'vitest'
import { parseTimelineFiles, type TimelineFiles } from '../../../src/facts/index.js'
import { divergedTimelines, historyName } from '../../../src/modules/lib/diverged-timelines.js'

const DIR = '/var/lib/pgbackrest/archive/pgha/15-1'
const files = (histories: [number, number[]][], wal: [number, number][] = []): TimelineFiles => ({
  dir: DIR,
  histories: histories.map(([timeline, parents]) => ({ timeline, name: historyName(timeline), parents })),
  walDirs: wal.map(([timeline, n]) => ({ timeline, name: `${timeline.toString(16).toUpperCase().padStart(8, '0')}00000000`, files: n })),
})

describe('divergedTimelines', () => {
  it('split brain, the older primary kept: the promoted node\'s timeline 2 and its WAL are diverged', () => {
    const plan = divergedTimelines(files([[2, [1]]], [[1, 5], [2, 3]]), { timeline: 1, ancestors: [] }, 'node1')
    expect(plan).toEqual({
      action: 'move',
      keep: [1],
      timelines: [{ timeline: 2, history: '00000002.history', walDirs: ['0000000200000000'], segments: 3 }],
      why: `${DIR} holds a timeline node1 never had (not in node1's timeline 1): timeline 2 (00000002.history, 3 WAL files in 0000000200000000)`,
    })
  })

  it('the kept primary promoted again took timeline 3, past the diverged 2: only 2 is diverged, 3 and its ancestor 1 stay', () => {
    const plan = divergedTimelines(files([[2, [1]], [3, [1]]], [[1, 6], [2, 2], [3, 1]]), { timeline: 3, ancestors: [1] }, 'node1')
    expect(plan.action).toBe('move')
    expect(plan.action === 'move' && plan.timelines.map((t) => t.timeline)).toEqual([2])
    expect(plan.action === 'move' && plan.keep).toEqual([1, 3])
  })

  it('nothing is diverged when every timeline is the primary\'s lineage (switchovers and failovers only)', () => {
    const plan = divergedTimelines(files([[2, [1]], [3, [1, 2]]], [[1, 4], [2, 4], [3, 1]]), { timeline: 3, ancestors: [1, 2] }, 'node2')
    expect(plan).toEqual({ action: 'none', keep: [1, 2, 3], why: `${DIR} holds no timeline outside node2's timeline 3 (descending from 1, 2)` })
  })

  it('a diverged branch of two timelines goes whole, whichever number is higher', () => {
    const plan = divergedTimelines(files([[2, [1]], [3, [1, 2]]], [[1, 4], [3, 2]]), { timeline: 1, ancestors: [] }, 'node1')
    expect(plan.action === 'move' && plan.timelines).toEqual([
      { timeline: 2, history: '00000002.history', walDirs: [], segments: 0 },
      { timeline: 3, history: '00000003.history', walDirs: ['0000000300000000'], segments: 2 },
    ])
  })

  it('the archive\'s copy of the primary\'s history file names ancestors its pg_wal lost', () => {
    const plan = divergedTimelines(files([[2, [1]], [4, [1, 2]], [3, [1]]]), { timeline: 4, ancestors: [] }, 'node1')
    expect(plan.action === 'move' && plan.timelines.map((t) => t.timeline)).toEqual([3])
    expect(plan.action === 'move' && plan.keep).toEqual([1, 2, 4])
  })

  it('refuses, moving nothing, when the primary is past timeline 1 and nothing says what it descends from', () => {
    const plan = divergedTimelines(files([[3, [1]]], [[2, 1]]), { timeline: 2, ancestors: [] }, 'node1')
    expect(plan).toEqual({ action: 'refuse', why: `cannot tell which timelines node1 descends from: its timeline 2 has no history file (00000002.history) in its pg_wal nor in ${DIR}; timeline 3 left in place` })
  })

  it('history file names are eight upper-case hex digits', () => {
    expect(historyName(2)).toBe('00000002.history')
    expect(historyName(26)).toBe('0000001A.history')
  })
})

describe('parseTimelineFiles', () => {
  it('reads the listing: history files with the parents their lines name, WAL directories with their file counts', () => {
    const out = [
      `path=${DIR}`,
      'wal=0000000100000000 7',
      'history=00000002.history',
      'line=00000002.history 1\t0/3000148\tno recovery target specified',
      'wal=0000000200000000 2',
      'history=0000000A.history',
      'line=0000000A.history 1\t0/3000148\tno recovery target specified',
      'line=0000000A.history 2\t0/5000000\tno recovery target specified',
      'line=0000000A.history ',
    ].join('\n')
    expect(parseTimelineFiles(out)).toEqual({
      dir: DIR,
      histories: [{ timeline: 2, name: '00000002.history', parents: [1] }, { timeline: 10, name: '0000000A.history', parents: [1, 2] }],
      walDirs: [{ timeline: 1, name: '0000000100000000', files: 7 }, { timeline: 2, name: '0000000200000000', files: 2 }],
    })
  })

  it('an archive or pg_wal that is not there holds nothing', () => {
    expect(parseTimelineFiles('path=\n')).toEqual({ dir: '', histories: [], walDirs: [] })
  })
})
