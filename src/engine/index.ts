/**
 * The check engine: what a suite file imports (the `check` registration, steps that record requirement
 * verdicts, the protocol as checks speak it) and what adapters use to run checks (`loadSuites`, `runChecks`).
 * @module
 */
export { check, registeredChecks } from './check.js'
export type { CheckContext, CheckDefinition, CheckOptions } from './check.js'
export { expect, expectEach, fail, notJudged, pass, skip, CheckSkipped, NotJudged, RequirementFailure } from './steps.js'
export type { StepStatus, StepVerdict } from './steps.js'
export { expectNoTokens, expectTokens, expectationFor, meets } from './expect.js'
export {
  describeResponse, hasTokens, oauthError, sentTooLate, startRequirement, unknownCodeTokenForm,
} from './oob.js'
export { basicAuthorization, formBody, OOB_CHALLENGE_HINT, OOB_GRANT_TYPE } from '../protocol/index.js'
export type { AuthMethod, Channel } from '../protocol/index.js'
export type { HttpResponse } from '../http/client.js'
export type { ClientChoice, ClientKind, Transaction, UserKind } from './oob.js'
export { estimateEntropy } from './entropy.js'
export type { EntropyEstimate } from './entropy.js'
export { describeRequest, materialize, requestArbitrary } from './arbitraries.js'
export type { GeneratedRequest, RequestContext } from './arbitraries.js'
export { checkProperty, expectContractResponse } from './property.js'
export type { PropertyOptions, PropertyRun } from './property.js'
export {
  gradeExchanges, initiationFieldRequirement, isCharsetProblem, isHeaderProblem, isInitiation, registeredGraders,
} from './exchange-grader.js'
export type { ExchangeGrader } from './exchange-grader.js'
export type { EngineEvent, EngineListener } from './events.js'
export type { CheckOutcome, OutcomeStatus } from './outcome.js'
export { runChecks } from './runner.js'
export type { RunOptions, RunOutcome } from './runner.js'
export { loadSuites, SUITES } from './load.js'
export type { Suite } from './load.js'
