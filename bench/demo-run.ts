/**
 * The demo run: `oob-conformance check` with no arguments (the embedded reference server, every suite), from
 * spawn to exit. Its floor is the longest real-time wait the run itself announces ("waiting 6.5 s: …"), which
 * the embedded server's lifetimes dictate; the ratio to it is the figure a loaded machine distorts least.
 * @module
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CLI, load, median, print, round, runNode } from './figure.js'

const REPETITIONS = 3
const TARGET_S = 15

const walls: number[] = []
const cpus: number[] = []
const waits: number[] = []
const reportDir = await mkdtemp(join(tmpdir(), 'oob-bench-demo-'))
try {
  for (let i = 0; i < REPETITIONS; i++) {
    const run = await runNode([CLI, 'check', '--report-dir', reportDir])
    if (run.exitCode !== 0) {
      throw new Error(`the demo run exited ${run.exitCode}:\n${run.stdout}${run.stderr}`)
    }
    walls.push(run.wallMs / 1000)
    cpus.push(run.cpuMs / 1000)
    const announced = [...run.stderr.matchAll(/waiting ([\d.]+) s:/g)].map((m) => Number(m[1]))
    waits.push(Math.max(0, ...announced))
  }
} finally {
  await rm(reportDir, { recursive: true, force: true })
}
const wall = median(walls)
const longestWait = Math.max(...waits)
print([{
  name: 'demo run (check, embedded server)',
  measured: round(wall),
  unit: 's',
  target: `≤ ${TARGET_S} s`,
  met: wall <= TARGET_S,
  versus: `${round(wall / longestWait)}× its longest wait (${longestWait} s); ` +
    `${round(median(cpus))} s of CPU`,
  how: `median of ${REPETITIONS} runs (${walls.map((w) => round(w)).join(', ')} s), spawn to exit; ${load()}`,
}])
