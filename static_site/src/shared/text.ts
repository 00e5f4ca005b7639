/**
 * The first `max` UTF-16 units of `text`, never half of a pair: `String.slice` can cut an
 * emoji in two, and the lone half is not text — the API refuses a body that carries one.
 */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = max > 0 && isHighSurrogate(text.charCodeAt(max - 1)) ? max - 1 : max;
  return text.slice(0, Math.max(0, end));
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
