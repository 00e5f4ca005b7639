/** Only same-site paths are allowed as a post-login destination. */
export function safeNextPath(next: string | null | undefined, fallback = '/generate'): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
  if (next.startsWith('/login')) return fallback;
  return next;
}

export function loginPathFor(intended: string): string {
  return `/login?next=${encodeURIComponent(intended)}`;
}
