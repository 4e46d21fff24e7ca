/**
 * The typed client of the OOB flow, for applications and for client authors comparing notes with
 * `oob-conformance client-check`. Start with {@link OobFlowClient}.
 * @module
 */
export { OobFlowClient } from './client.js'
export type { CompleteOptions, OobFlowClientOptions, SignInOptions, StartOptions } from './client.js'
export { defaultClientBehaviour } from './behaviour.js'
export type { ClientAuthMethod, ClientBehaviour, ClientCredentials, Credentials, PollErrorKind }
  from './behaviour.js'
export { OobClientError } from './error.js'
export { OOB_GRANT_TYPE } from './wire.js'
export type { BindingMethod, Channel, OobTransaction, TokenSet } from './wire.js'
