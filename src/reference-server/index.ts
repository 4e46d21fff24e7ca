/**
 * The reference authorization server: a complete, correct implementation of the OOB flow under both profiles,
 * and the base every mutant is built from (README.md).
 * @module
 */

export type { Profile } from '../profile.js'
export type { Behaviour, TerminalKind } from './behaviour.js'
export { defaultBehaviour } from './behaviour.js'
export type { Client } from './accounts.js'
export type { PresentedCredentials, PresentedMethod } from './client-auth.js'
export type { Endpoint } from './form.js'
export type { InitiationBody } from './initiate.js'
export type { ReferenceServerOptions } from './options.js'
export type { OAuthErrorSpec } from './responses.js'
export type { TokenBody } from './tokens.js'
export type { Transaction, TransactionState } from './transactions.js'
export type { ReferenceServer } from './server.js'
export { createReferenceServer, startReferenceServer } from './server.js'
