/**
 * The variants self-test on a deliberately loaded machine: a CPU burner (`node -e "for(;;){}"`, one per core)
 * runs beside every variant under every profile it claims (fixtures/variants), each run the built CLI's full
 * `check` against the variant served in a process of its own, three at a time as in test/self/variants.test.ts,
 * and the whole matrix three times. A correct server must not be reported however busy the machine: the figure is
 * the count of runs that reported one (variants marked `knownFalseAlarm` are counted apart).
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { availableParallelism } from 'node:os'
import { falseAlarms, VARIANT_FLAGS, variantCases, type VariantCase } from '../fixtures/variants/self-check.js'
import { checkTarget, concurrencyLimit } from '../test/self/check-run.js'
import { load, median, print, repetitions, round } from './figure.js'

const REPETITIONS = repetitions(3)
const BURNERS = availableParallelism()
const cases = variantCases(true)

function startBurners(count: number): ChildProcess[] {
  return Array.from({ length: count }, () =>
    spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' }))
}

interface Repetition {
  wallS: number
  /** Labels of the runs that reported a correct server, with what reported it. */
  unexpected: string[]
  /** Runs of variants marked `knownFalseAlarm` that reported it again. */
  knownAlarmed: number
  loadAfter: string
}

const label = (c: VariantCase) => `${c.variant.name} (${c.profile})`

async function repetition(): Promise<Repetition> {
  const slot = concurrencyLimit(3)
  const started = performance.now()
  const results = await Promise.all(cases.map((c) => slot(async () => {
    try {
      const { exitCode, results: run } = await checkTarget(c.variant.name, c.profile, [...VARIANT_FLAGS])
      return { c, alarms: falseAlarms(exitCode, run) }
    } catch (e) {
      // A run that did not finish (its bound, a server that did not start) reports the server as much as a failure.
      return { c, alarms: [`did not finish: ${(e as Error).message.split('\n')[0]}`] }
    }
  })))
  const unexpected = results.filter((r) => r.alarms.length > 0 && r.c.variant.knownFalseAlarm === undefined)
  return {
    wallS: (performance.now() - started) / 1000,
    unexpected: unexpected.map((r) => `${label(r.c)}: ${r.alarms.join(' | ')}`),
    knownAlarmed: results.filter((r) => r.alarms.length > 0 && r.c.variant.knownFalseAlarm !== undefined).length,
    loadAfter: load(),
  }
}

const burners = startBurners(BURNERS)
const stopBurners = () => burners.forEach((b) => b.kill('SIGKILL'))
process.once('exit', stopBurners)
const done: Repetition[] = []
try {
  for (let i = 0; i < REPETITIONS; i++) {
    process.stderr.write(`variants-loaded: repetition ${i + 1} of ${REPETITIONS}, ${cases.length} runs…\n`)
    const r = await repetition()
    for (const line of r.unexpected) process.stderr.write(`  false alarm: ${line}\n`)
    done.push(r)
  }
} finally {
  stopBurners()
}

const known = new Set(cases.filter((c) => c.variant.knownFalseAlarm !== undefined)).size
const unexpected = done.reduce((sum, r) => sum + r.unexpected.length, 0)
print([{
  name: 'variants under load: false alarms',
  measured: unexpected,
  unit: 'runs',
  target: '0',
  met: unexpected === 0,
  versus: `per repetition ${done.map((r) => r.unexpected.length).join(', ')} of ${cases.length} runs; ` +
    `known false alarms re-reported ${done.map((r) => r.knownAlarmed).join(', ')} of ${known} runs`,
  how: [`${REPETITIONS} × ${cases.length} runs (every variant under every profile it claims, check --seed 1 ` +
    `${VARIANT_FLAGS.join(' ')}), 3 at a time`, `${BURNERS} CPU burner(s) beside them`,
    `wall per repetition ${done.map((r) => `${round(r.wallS, 0)} s`).join(', ')} (median ` +
    `${round(median(done.map((r) => r.wallS)), 0)} s)`, `${done.at(-1)?.loadAfter ?? load()} at the end`].join('; '),
}])
