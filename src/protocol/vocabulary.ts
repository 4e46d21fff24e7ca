/**
 * The protocol's enumerations: the out-of-band channels, how a channel is bound to the client, and how a
 * client authenticates. Channels and binding methods are the enums of spec/openapi.yaml, types and values
 * both generated from it.
 * @module
 */
import { bindingMethodValues, channelValues, type components } from '../../spec/generated/openapi.js'

type Schemas = components['schemas']

/** The out-of-band channel: `channel_hint` of an initiation request, `channel` of its response. */
export type Channel = Schemas['Channel']
export const CHANNELS: readonly Channel[] = channelValues

export function isChannel(value: unknown): value is Channel {
  return (CHANNELS as readonly unknown[]).includes(value)
}

/** `binding_method` of an initiation response: `none` (approve), `transfer` (pick the number), `prompt`
 * (type the code). */
export type BindingMethod = Schemas['BindingMethod']
export const BINDING_METHODS: readonly BindingMethod[] = bindingMethodValues

export function isBindingMethod(value: unknown): value is BindingMethod {
  return (BINDING_METHODS as readonly unknown[]).includes(value)
}

/**
 * The client-authentication methods of the flow, named as `token_endpoint_auth_method` names them (RFC 7591
 * §2), in the order a server advertises them. The spec has them as security schemes, which the generated
 * types do not carry, so this list is the one written by hand.
 */
export const AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'none'] as const
export type AuthMethod = (typeof AUTH_METHODS)[number]
