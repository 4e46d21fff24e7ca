/**
 * `oob-conformance`: the `check` command as a library. {@link runCheck} runs the suites against a server (the
 * embedded reference server when no `baseUrl`, `issuer` or `config` names one) in this process, prints nothing
 * unless given `out`, and returns the graded results and the exit code the CLI would use.
 *
 * ```ts
 * import { runCheck } from 'oob-conformance'
 * const { results, exitCode } = await runCheck({ baseUrl: 'https://auth.example.com', controlUrl: '…' })
 * ```
 *
 * The other entry points: `oob-conformance/vitest`, `oob-conformance/client-check`, `oob-conformance/client`,
 * `oob-conformance/reference-server`.
 * @module
 */
import { executeCheck, type CheckRun, type CheckRunOptions } from './check.js'

/** Options of {@link runCheck}: the CLI's `check` options (camelCase), plus `env`, `onEvent`, `out`, `signal`. */
export type RunCheckOptions = CheckRunOptions
export type { CheckRun }

/**
 * Runs `oob-conformance check` in this process. Resolves with the results, the exit code (0 or 1) and the report
 * files (with `reportDir`); rejects with an {@link OobConformanceError} on a usage or configuration error or an
 * unreachable target (the CLI's exit code 2).
 */
export async function runCheck(options: RunCheckOptions = {}): Promise<CheckRun> {
  return executeCheck(options)
}

export { DEFAULT_SUITES, EMBEDDED_LIFETIMES, SUITES } from './check.js'
export type { Suite } from './engine/load.js'
export type { CheckOptions } from './config/resolve.js'
export type { Accounts, ClientAccount, DriverOperation, Endpoints, TargetConfig } from './config/target.js'
export type { Driver, DriverCall } from './drivers/driver.js'
export type { EngineEvent, EngineListener } from './engine/events.js'
export type { CheckOutcome, OutcomeStatus } from './engine/outcome.js'
export { isOobConformanceError, OobConformanceError } from './errors.js'
export type { OobErrorCode } from './errors.js'
export type { Profile } from './profile.js'
export type {
  CheckResult, CheckStatus, Completeness, Exchange, Level, RequirementResult, RequirementStatus, RunResults,
  RunSummary, RunVerdict, StepResult,
} from './results/model.js'
