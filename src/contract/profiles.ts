/**
 * Profiles in the spec. `x-oob-profiles: [okta]` on an object (a response, a header, a schema inside `allOf`)
 * means the object exists only under those profiles; a `$ref` to such an object counts as marked too.
 * `x-oob-value-profiles: {expired_token: [rfc]}` next to an `enum` restricts single values the same way.
 * Everything unmarked holds under every profile. A profile's view is the document with everything that does
 * not apply to it removed, so the rest of the contract layer (and Ajv) never needs to know about profiles.
 * @module
 */

import { OobConformanceError } from '../errors.js'
import { isProfile, PROFILES, type Profile } from '../profile.js'
import { locate, pointer } from './pointer.js'

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

function profilesOf(node: Record<string, unknown>, where: string): readonly string[] | undefined {
  const marked = node['x-oob-profiles']
  if (marked === undefined) return undefined
  if (!Array.isArray(marked) || !marked.every(isProfile)) {
    throw new OobConformanceError('ERR_SPEC_INVALID',
      `x-oob-profiles at ${where} must list ${PROFILES.join('|')}`)
  }
  return marked as string[]
}

function valueProfilesOf(node: Record<string, unknown>, where: string): Record<string, string[]> | undefined {
  const marked = node['x-oob-value-profiles']
  if (marked === undefined) return undefined
  const values = Array.isArray(node.enum) ? node.enum : []
  const valid = marked !== null && typeof marked === 'object' &&
    Object.entries(marked).every(([value, profiles]) =>
      values.includes(value) && profilesOf({ 'x-oob-profiles': profiles }, where) !== undefined)
  if (!valid) {
    throw new OobConformanceError('ERR_SPEC_INVALID',
      `x-oob-value-profiles at ${where} must map values of the enum beside it to lists of profiles`)
  }
  return marked as Record<string, string[]>
}

/** The document as seen under `profile`. The input is not modified. */
export function profileView<T>(doc: T, profile: Profile): T {
  const applies = (node: Record<string, unknown>, where: string): boolean => {
    const ref = node.$ref
    const local = typeof ref === 'string' && ref.startsWith('#/')
    const target = local ? (locate(doc, decodeURIComponent(ref.slice(1)))?.node ?? node) : node
    return profilesOf(target, where)?.includes(profile) ?? true
  }

  const walk = (node: Json, where: string): Json | undefined => {
    if (node === null || typeof node !== 'object') return node
    if (Array.isArray(node)) {
      return node.flatMap((item, i) => {
        const kept = walk(item, where + pointer(i))
        return kept === undefined ? [] : [kept]
      })
    }
    if (!applies(node, where)) return undefined
    const out: { [key: string]: Json } = {}
    for (const [key, value] of Object.entries(node)) {
      const kept = walk(value, where + pointer(key))
      if (kept !== undefined) out[key] = kept
    }
    const valueProfiles = valueProfilesOf(node, where)
    if (valueProfiles && Array.isArray(out.enum)) {
      out.enum = out.enum.filter((v) =>
        typeof v !== 'string' || (valueProfiles[v]?.includes(profile) ?? true))
    }
    return out
  }

  return walk(doc as Json, '') as T
}
