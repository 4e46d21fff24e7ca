/**
 * JSON Pointers (RFC 6901) into the OpenAPI document, and resolution of the document's own local `$ref`s.
 * Ajv resolves `$ref`s inside schemas; OpenAPI-level references (a response or header object that is a
 * `$ref` to `components`) are followed here, so that every schema is addressed by its real location.
 * @module
 */

import { OobConformanceError } from '../errors.js'

export function pointer(...tokens: (string | number)[]): string {
  return tokens.map((t) => `/${String(t).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('')
}

function get(doc: unknown, ptr: string): unknown {
  let node = doc
  for (const raw of ptr.split('/').slice(1)) {
    const token = raw.replaceAll('~1', '/').replaceAll('~0', '~')
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, token)) return undefined
    node = (node as Record<string, unknown>)[token]
  }
  return node
}

export interface Located {
  pointer: string
  node: Record<string, unknown>
}

/** The object at `ptr`, following local `$ref`s; undefined when nothing is there. */
export function locate(doc: unknown, ptr: string): Located | undefined {
  const seen = new Set<string>()
  for (let at = ptr; ; ) {
    const node = get(doc, at)
    if (node === null || typeof node !== 'object') return undefined
    const ref = (node as Record<string, unknown>).$ref
    if (typeof ref !== 'string') return { pointer: at, node: node as Record<string, unknown> }
    if (!ref.startsWith('#/') || seen.has(ref)) {
      throw new OobConformanceError('ERR_SPEC_INVALID', `unsupported or circular $ref ${ref} at ${at}`)
    }
    seen.add(ref)
    at = decodeURIComponent(ref.slice(1))
  }
}

/** A pointer as a URI fragment (for Ajv schema ids): percent-encode what a fragment cannot hold. */
export function fragment(ptr: string): string {
  return `#${ptr.split('/').map(encodeURIComponent).join('/')}`
}
