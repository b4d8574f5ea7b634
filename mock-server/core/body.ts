/**
 * Reads a request body without trusting it: at most `limit` bytes (a larger declared or actual body
 * is refused without reading the rest), decoded as UTF-8 with bad bytes replaced, never thrown on.
 */
export async function readBodyLimited(request: Request, limit: number): Promise<string | 'too-large'> {
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > limit) {
    // Not awaited: under msw a cancel never settles.
    void request.body?.cancel().catch(() => undefined);
    return 'too-large';
  }
  if (request.body === null) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limit) {
        void reader.cancel().catch(() => undefined);
        return 'too-large';
      }
      chunks.push(value);
    }
  } catch {
    // A client that hangs up mid-body: treat what arrived as the body.
  }
  return new TextDecoder('utf-8', { fatal: false }).decode(Buffer.concat(chunks));
}
