import { packageVersion } from '../package-root.js'
import type { Profile } from '../profile.js'
import type { RunResults } from './model.js'
import { runVerdict, type RollUp } from './rollup.js'

/** The results of a run in the shape of DESIGN.md's `results.json`, from its graded checks. */
export function runResults(run: { target: string; profile: Profile; seed: number; startedAt: Date; graded: RollUp;
  strict?: boolean; shard?: RunResults['shard']; interrupted?: boolean }): RunResults {
  const verdict = runVerdict(run.graded, { strict: run.strict ?? false })
  return {
    tool: { name: 'oob-conformance', version: packageVersion },
    target: run.target,
    profile: run.profile,
    seed: run.seed,
    startedAt: run.startedAt.toISOString(),
    durationMs: Date.now() - run.startedAt.getTime(),
    // An interrupted run is never `passed`: what it did not run, it did not judge. A failure found stands.
    verdict: run.interrupted && verdict === 'passed' ? 'incomplete' : verdict,
    summary: run.graded.summary,
    checks: run.graded.checks,
    requirements: run.graded.requirements,
    completeness: run.graded.completeness,
    ...(run.shard !== undefined && { shard: run.shard }),
    ...(run.interrupted === true && { interrupted: true as const }),
  }
}
