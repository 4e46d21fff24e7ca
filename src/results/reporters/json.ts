/**
 * `results.json`: the run as DESIGN.md specifies it, keys in the documented order so diffs between runs read
 * well.
 * @module
 */
import type { CheckResult, RunResults } from '../model.js'

export function renderJson(results: RunResults): string {
  const ordered: RunResults = {
    tool: results.tool,
    target: results.target,
    profile: results.profile,
    seed: results.seed,
    startedAt: results.startedAt,
    durationMs: results.durationMs,
    verdict: results.verdict,
    summary: results.summary,
    checks: results.checks.map(orderCheck),
    requirements: results.requirements.map(({ id, level, status, checks, title, passes, reason }) =>
      ({ id, level, status, checks, ...(title === undefined ? {} : { title }),
        ...(passes === undefined ? {} : { passes }), ...(reason === undefined ? {} : { reason }) })),
    completeness: results.completeness,
    ...(results.shard === undefined ? {} : { shard: results.shard }),
    ...(results.interrupted === undefined ? {} : { interrupted: results.interrupted }),
  }
  return JSON.stringify(ordered, null, 2) + '\n'
}

function orderCheck(c: CheckResult): CheckResult {
  return {
    id: c.id,
    title: c.title,
    requirements: c.requirements,
    level: c.level,
    status: c.status,
    message: c.message,
    reproduction: c.reproduction,
    durationMs: c.durationMs,
    ...(c.expectedFailure === undefined ? {} : { expectedFailure: c.expectedFailure }),
    ...(c.errored === undefined ? {} : { errored: c.errored }),
    ...(c.steps === undefined ? {} : { steps: c.steps }),
    ...(c.transcript === undefined ? {} : { transcript: c.transcript }),
  }
}
