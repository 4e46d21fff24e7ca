/**
 * The typed client of the OOB flow, for applications and for client authors comparing notes with
 * `oob-conformance client-check`. Start with {@link OobFlowClient}.
 * @module
 */
import type { AuthMethod, BindingMethod, Channel } from '../protocol/index.js'

export { OobFlowClient } from './client.js'
export type { CompleteOptions, OobFlowClientOptions, SignInOptions, StartOptions } from './client.js'
export { defaultClientBehaviour } from './behaviour.js'
export type { ClientBehaviour, ClientCredentials, Credentials, PollErrorKind } from './behaviour.js'
export { OobClientError } from './error.js'
export type { OobTransaction, TokenSet } from './wire.js'
// The protocol's words the client's API uses, so that its users need no second import.
export { OOB_GRANT_TYPE } from '../protocol/index.js'
export type { AuthMethod, BindingMethod, Channel }
/** The client-authentication method: {@link AuthMethod} under the name the client exported first. */
export type ClientAuthMethod = AuthMethod
