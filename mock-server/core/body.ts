/**
 * Reads a request body without trusting it: at most `limit` bytes (a larger declared or actual body
 * is refused without reading the rest), decoded as UTF-8 with bad bytes replaced, never thrown on.
 * The bytes come from the Request's stream, or from a `BodySource` an adapter gives (the node adapter
 * reads the socket directly rather than through a web stream); the rules are the same.
 */

/**
 * The body's chunks as they arrive, stopping as soon as more than `limit` bytes came ('too-large');
 * a client that hangs up mid-body gives what arrived.
 */
export type BodySource = (limit: number) => Promise<Uint8Array[] | 'too-large'>;

// decode() without { stream: true } starts afresh each call, so one decoder serves every request.
const UTF8 = new TextDecoder('utf-8', { fatal: false });

function decode(chunks: readonly Uint8Array[]): string {
  return UTF8.decode(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
}

export async function readBodyLimited(request: Request, limit: number, source?: BodySource): Promise<string | 'too-large'> {
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > limit) {
    // Not awaited: under msw a cancel never settles.
    if (source === undefined) void request.body?.cancel().catch(() => undefined);
    return 'too-large';
  }
  if (source !== undefined) {
    const chunks = await source(limit);
    return chunks === 'too-large' ? chunks : decode(chunks);
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
  return decode(chunks);
}
