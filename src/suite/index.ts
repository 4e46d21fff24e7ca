/**
 * What a suite file imports: the `check` registration and the verdict helpers.
 * @module
 */
export { check } from './check.js'
export type { CheckContext, CheckMeta, CheckOptions } from './check.js'
export { assert, fail, CheckFailure } from './failure.js'
export { expectError, expectNoTokens, expectTokens, expectationFor, meets } from './expect.js'
export { describeResponse, hasTokens, oauthError, OOB_GRANT_TYPE, OOB_CHALLENGE_HINT, unknownCodeTokenForm } from './oob.js'
export { basicAuthorization, formBody } from '../http/client.js'
export type { HttpResponse } from '../http/client.js'
export type { AuthMethod, Channel, ClientChoice, ClientKind, Transaction, UserKind } from './oob.js'
export { estimateEntropy } from './entropy.js'
export type { EntropyEstimate } from './entropy.js'
export { describeRequest, materialize, requestArbitrary } from './arbitraries.js'
export type { GeneratedRequest, RequestContext } from './arbitraries.js'
export { checkProperty, expectContractResponse } from './property.js'
export type { PropertyOptions, PropertyRun } from './property.js'
