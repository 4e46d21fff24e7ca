/**
 * CLI cold start: `oob-conformance --help` from spawn to exit, against the implementation before the
 * in-process engine (baseline.ts: "unchanged or better") and `node -e ''` (Node's own start) in the same run,
 * alternated so that all three see the same load.
 * @module
 */
import { BASELINE_COMMIT, ensureBaseline } from './baseline.js'
import { CLI, load, median, print, repetitions, round, runNode } from './figure.js'

const REPETITIONS = repetitions(15)
const TARGET_MS = 400
/** "Unchanged or better", with 10 % allowed for the noise of spawn times on a shared machine. */
const TARGET_VS_BASELINE = 1.1
const TIMEOUT_MS = 30_000

async function help(cli: string): Promise<{ wallMs: number; cpuMs: number }> {
  const run = await runNode([cli, '--help'], {}, TIMEOUT_MS)
  if (run.exitCode !== 0) throw new Error(`${cli} --help exited ${run.exitCode}: ${run.stderr}`)
  return run
}

const baselineCli = await ensureBaseline()
const current: number[] = []
const currentCpu: number[] = []
const baseline: number[] = []
const bare: number[] = []
const spawns: (() => Promise<void>)[] = [
  async () => {
    const run = await help(CLI)
    current.push(run.wallMs)
    currentCpu.push(run.cpuMs)
  },
  async () => void baseline.push((await help(baselineCli)).wallMs),
  async () => void bare.push((await runNode(['-e', ''], {}, TIMEOUT_MS)).wallMs),
]
for (let i = 0; i < REPETITIONS; i++) {
  // Rotated, so that none of the three always follows the same one.
  for (let j = 0; j < spawns.length; j++) await spawns[(i + j) % spawns.length]!()
}
const measured = median(current)
const before = median(baseline)
const node = median(bare)
const limit = Math.min(TARGET_MS, before * TARGET_VS_BASELINE)
print([{
  name: 'CLI cold start (--help)',
  measured: round(measured, 0),
  unit: 'ms',
  target: `≤ baseline × ${TARGET_VS_BASELINE} (${round(before * TARGET_VS_BASELINE, 0)} ms) and ≤ ${TARGET_MS} ms`,
  met: measured <= limit,
  versus: `baseline ${round(before, 0)} ms (${round(measured / before, 2)}×); node alone ${round(node, 0)} ms: ` +
    `the CLI adds ${round(measured - node, 0)} ms; ${round(median(currentCpu), 0)} ms of CPU`,
  how: `median of ${REPETITIONS} spawns each of the CLI, the baseline's (${BASELINE_COMMIT}) and node -e '', ` +
    `alternated; "unchanged or better" allows 10 % for spawn-time noise; ${load()}`,
}])
