/**
 * The `application/x-www-form-urlencoded` codec of every OAuth request (RFC 6749 Appendix B): the encoder
 * clients use and the strict decoder servers use.
 * @module
 */

export const FORM_MEDIA_TYPE = 'application/x-www-form-urlencoded'

/** A form: an array value repeats the parameter, `undefined` leaves it out, `''` sends it empty. */
export type FormParams = Record<string, string | string[] | undefined>

export function formBody(params: FormParams): string {
  const body = new URLSearchParams()
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined) continue
    for (const v of Array.isArray(value) ? value : [value]) body.append(name, v)
  }
  return body.toString()
}

/** One name or value, encoded exactly as {@link formBody} encodes it (space as `+`). */
export function encodeFormComponent(text: string): string {
  return new URLSearchParams({ '': text }).toString().slice(1)
}

/** Decodes one name or value; throws `URIError` on malformed percent-encoding or bytes that are not UTF-8. */
export function decodeFormComponent(text: string): string {
  // `+` is a space only before percent-decoding: `%2B` is a literal plus.
  const spaced = text.replaceAll('+', ' ')
  return spaced.includes('%') ? decodeURIComponent(spaced) : spaced
}

/**
 * Splits a URL-encoded body into name/value pairs in order, keeping repeats and empty values (RFC 6749 §3.2
 * leaves what to make of them to the reader). Unlike `URLSearchParams`, which silently keeps broken escapes,
 * returns `undefined` when any escape is malformed.
 */
export function parseUrlEncoded(body: string): Array<[string, string]> | undefined {
  const pairs: Array<[string, string]> = []
  for (const part of body.split('&')) {
    if (part === '') continue
    const eq = part.indexOf('=')
    try {
      pairs.push(eq === -1
        ? [decodeFormComponent(part), '']
        : [decodeFormComponent(part.slice(0, eq)), decodeFormComponent(part.slice(eq + 1))])
    } catch {
      return undefined
    }
  }
  return pairs
}
