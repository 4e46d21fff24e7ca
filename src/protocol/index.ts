/**
 * The vocabulary of the OAuth 2.0 direct-authentication OOB flow, defined once: the grant, the enumerations,
 * the form codec, Basic client credentials and the error shapes. Every other module speaks the protocol
 * through this one.
 * @module
 */
export { OOB_CHALLENGE_HINT, OOB_GRANT_TYPE } from './grant.js'
export {
  AUTH_METHODS, BINDING_METHODS, CHANNELS, isBindingMethod, isChannel,
  type AuthMethod, type BindingMethod, type Channel,
} from './vocabulary.js'
export {
  decodeFormComponent, encodeFormComponent, FORM_MEDIA_TYPE, formBody, parseUrlEncoded, type FormParams,
} from './form.js'
export { basicAuthorization, basicUserPass, parseBasicAuthorization, type BasicCredentials } from './basic.js'
export { errorOf, type OAuthErrorBody, type OktaErrorBody, type ProtocolError } from './errors.js'
