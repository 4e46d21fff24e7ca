/**
 * CLI cold start: `oob-conformance --help` from spawn to exit, against `node -e ''` (Node's own start) in the
 * same run, alternated so that both see the same load.
 * @module
 */
import { CLI, load, median, print, round, runNode } from './figure.js'

const REPETITIONS = 15
const TARGET_MS = 400

const help: number[] = []
const helpCpu: number[] = []
const bare: number[] = []
for (let i = 0; i < REPETITIONS; i++) {
  const run = await runNode([CLI, '--help'])
  if (run.exitCode !== 0) throw new Error(`--help exited ${run.exitCode}: ${run.stderr}`)
  help.push(run.wallMs)
  helpCpu.push(run.cpuMs)
  bare.push((await runNode(['-e', ''])).wallMs)
}
const measured = median(help)
const node = median(bare)
print([{
  name: 'CLI cold start (--help)',
  measured: round(measured, 0),
  unit: 'ms',
  target: `≤ ${TARGET_MS} ms`,
  met: measured <= TARGET_MS,
  versus: `node alone ${round(node, 0)} ms: the CLI adds ${round(measured - node, 0)} ms; ` +
    `${round(median(helpCpu), 0)} ms of CPU`,
  how: `median of ${REPETITIONS} spawns each, alternated; ${load()}`,
}])
