/**
 * The demo run: `oob-conformance check` with no arguments (the embedded reference server, every suite), from
 * spawn to exit, for the current CLI and for the implementation before the in-process engine (the same-run
 * baseline of baseline.ts, which ran the suites inside vitest), alternated so that both see the same load.
 *
 * Three figures, each with the baseline's value beside it:
 * - wall time over the longest real-time wait the run itself announces on stderr (`  … <id> waiting 6.5 s: …`),
 *   which the embedded server's lifetimes dictate: the floor of any implementation, and the ratio a loaded
 *   machine distorts least;
 * - CPU time (user + system) of the run, which other jobs on the machine do not inflate;
 * - peak RSS of the run's process, from GNU time (vitest's workers were threads of that process).
 * @module
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { BASELINE_COMMIT, ensureBaseline } from './baseline.js'
import { CLI, load, median, print, repetitions, round, runNodeMeasured } from './figure.js'

const REPETITIONS = repetitions(3)
const TARGET_WAIT_RATIO = 1.3
const TARGET_CPU_S = 4
const TARGET_RSS_MB = 250
/** Bound on one demo run: the baseline took about 20 s on a quiet machine, the longest wait is a few seconds. */
const RUN_TIMEOUT_MS = 3 * 60_000

interface Sample {
  wallS: number
  cpuS: number
  rssMb: number
  longestWaitS: number
}

async function demoRun(cli: string, reportDir: string): Promise<Sample> {
  const run = await runNodeMeasured([cli, 'check', '--report-dir', reportDir], {}, RUN_TIMEOUT_MS)
  if (run.exitCode !== 0) {
    throw new Error(`the demo run of ${cli} exited ${run.exitCode}:\n${run.stdout}${run.stderr}`)
  }
  const announced = [...run.stderr.matchAll(/ waiting ([\d.]+) s:/g)].map((m) => Number(m[1]))
  if (announced.length === 0) throw new Error(`the demo run of ${cli} announced no wait:\n${run.stderr}`)
  return { wallS: run.wallMs / 1000, cpuS: run.cpuMs / 1000, rssMb: run.peakRssMb, longestWaitS: Math.max(...announced) }
}

const baselineCli = await ensureBaseline()
const current: Sample[] = []
const baseline: Sample[] = []
const reportDir = await mkdtemp(join(tmpdir(), 'oob-bench-demo-'))
try {
  for (let i = 0; i < REPETITIONS; i++) {
    // Alternated, the order flipped every repetition so that neither always runs on the other's warm page cache.
    const order = i % 2 === 0 ? ['current', 'baseline'] as const : ['baseline', 'current'] as const
    for (const which of order) {
      if (which === 'current') current.push(await demoRun(CLI, join(reportDir, `current-${i}`)))
      else baseline.push(await demoRun(baselineCli, join(reportDir, `baseline-${i}`)))
    }
  }
} finally {
  await rm(reportDir, { recursive: true, force: true })
}

const of = (samples: Sample[], key: keyof Sample) => median(samples.map((s) => s[key]))
const list = (samples: Sample[], key: keyof Sample, digits = 1) =>
  samples.map((s) => round(s[key], digits)).join(', ')
/** Each run over its own longest wait, then the median: a run's wall and its wait belong together. */
const ratio = (samples: Sample[]) => median(samples.map((s) => s.wallS / s.longestWaitS))

const wallRatio = ratio(current)
const cpu = of(current, 'cpuS')
const rss = of(current, 'rssMb')
const how = `median of ${REPETITIONS} runs of each CLI, alternated; the baseline is ${BASELINE_COMMIT} ` +
  `(suites inside vitest); ${load()}`
print([
  {
    name: 'demo run wall / longest wait',
    measured: round(wallRatio, 2),
    unit: '×',
    target: `≤ ${TARGET_WAIT_RATIO}×`,
    met: wallRatio <= TARGET_WAIT_RATIO,
    versus: `${round(of(current, 'wallS'))} s over a ${of(current, 'longestWaitS')} s wait; baseline ` +
      `${round(ratio(baseline), 2)}× (${round(of(baseline, 'wallS'))} s over ${of(baseline, 'longestWaitS')} s)`,
    how: `check with no arguments (embedded server, every suite), spawn to exit, over the longest ` +
      `"waiting N s:" the run announces; walls ${list(current, 'wallS')} s, baseline ` +
      `${list(baseline, 'wallS')} s; ${how}`,
  },
  {
    name: 'demo run CPU',
    measured: round(cpu),
    unit: 's',
    target: `≤ ${TARGET_CPU_S} s`,
    met: cpu <= TARGET_CPU_S,
    versus: `baseline ${round(of(baseline, 'cpuS'))} s (${round(of(baseline, 'cpuS') / cpu)}× as much)`,
    how: `user + system time of the check process (GNU time); ${list(current, 'cpuS')} s, baseline ` +
      `${list(baseline, 'cpuS')} s; ${how}`,
  },
  {
    name: 'demo run peak RSS',
    measured: Math.round(rss),
    unit: 'MB',
    target: `≤ ${TARGET_RSS_MB} MB`,
    met: rss <= TARGET_RSS_MB,
    versus: `baseline ${Math.round(of(baseline, 'rssMb'))} MB (${round(of(baseline, 'rssMb') / rss)}× as much)`,
    how: `maximum resident set of the check process, its threads included (GNU time %M, MiB); ` +
      `${list(current, 'rssMb', 0)} MB, baseline ${list(baseline, 'rssMb', 0)} MB; ${how}`,
  },
])
