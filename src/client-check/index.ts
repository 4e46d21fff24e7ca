/**
 * `client-check` as a library: judge an OOB client — a command or an in-process function — against the
 * scripted scenarios, requirement by requirement (`OOB-C-…`).
 * @module
 */
export { byCapability, runClientScenarios, selectScenarios } from './runner.js'
export type { ClientCheckOptions, ClientCheckRun, ClientType, ScenarioResult } from './runner.js'
export { createRunCertificates } from './tls.js'
export type { RunCertificates } from './tls.js'
export { fetchTrusting } from './trusting-fetch.js'
export type { ClientCommand, ClientEnvironment, ClientOutcome, ClientUnderTest, InProcessClient }
  from './launch.js'
export { NUMBER_CHALLENGE, SCENARIOS, scenariosFor } from './scenarios.js'
export type { PollAnswer, Scenario } from './scenarios.js'
export { SETTLE_MS, TOLERANCE } from './verdicts.js'
export type { ScenarioRun } from './verdicts.js'
export { judgedRequirements, NOT_JUDGED } from './coverage.js'
