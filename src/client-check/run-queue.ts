/**
 * How long a client's processes waited for a CPU. A client that measures its poll interval from the moment
 * it decided to send can write its request late when the machine starves it of CPU, and the next one on time:
 * the server sees the two arrive closer than the interval although the client kept it. Linux counts, per
 * thread, the time it was runnable but not running (`/proc/PID/schedstat`, second field, ns); timing verdicts
 * credit that wait to the client instead of failing it on a schedule the machine did not let it keep.
 * @module
 */
import { readFileSync } from 'node:fs'

/** Nested processes followed below the client's own (npx → sh → node, say). */
const MAX_DEPTH = 6

/**
 * The run-queue wait of `pid`'s main thread and its descendants' so far, in ms; `undefined` where the kernel
 * does not say (not Linux, schedstat off, the process gone). Processes that exited no longer count: callers
 * take differences and clamp them at zero.
 */
export function runQueueWaitMs(pid: number): number | undefined {
  const own = waitOf(pid)
  if (own === undefined) return undefined
  return own + descendants(pid, 0).reduce((sum, child) => sum + (waitOf(child) ?? 0), 0)
}

function waitOf(pid: number): number | undefined {
  try {
    const ns = Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[1])
    return Number.isFinite(ns) ? ns / 1e6 : undefined
  } catch {
    return undefined
  }
}

function descendants(pid: number, depth: number): number[] {
  if (depth >= MAX_DEPTH) return []
  let children: number[]
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number)
  } catch {
    return []
  }
  return children.flatMap((child) => [child, ...descendants(child, depth + 1)])
}
