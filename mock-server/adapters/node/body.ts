/**
 * A request body read straight from node's stream, under the same rules as the core's
 * `readBodyLimited` (core/body.ts): a Content-Length over the limit is refused without reading a
 * byte; a body that grows past the limit is refused as soon as it does and the rest stays unread
 * (the 413 closes the connection); a client that hangs up mid-body gives what arrived; the bytes
 * are decoded as UTF-8 with bad bytes replaced (and a leading BOM dropped, as `Request.text()`
 * does). Nothing here throws.
 */
import type { IncomingMessage } from 'node:http';

// decode() without { stream: true } starts afresh each call, so one decoder serves every request.
const UTF8 = new TextDecoder('utf-8', { fatal: false });

/** The body's chunks, or 'too-large' once more than `limit` bytes arrived. */
export function readChunks(incoming: IncomingMessage, limit: number): Promise<Buffer[] | 'too-large'> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const done = (result: Buffer[] | 'too-large') => {
      incoming.off('data', onData);
      incoming.off('end', onEnd);
      incoming.off('close', onEnd);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      total += chunk.byteLength;
      if (total > limit) {
        // The rest stays unread; the 413 closes the connection.
        incoming.pause();
        done('too-large');
        return;
      }
      chunks.push(chunk);
    };
    // 'end', or 'close' without it (a client that hung up mid-body): what arrived is the body. 'close'
    // is enough for an aborted request: node emits it after 'aborted', and 'error' only to listeners.
    const onEnd = () => done(chunks);
    if (incoming.readableEnded) {
      resolve(chunks);
      return;
    }
    if (incoming.destroyed) {
      // Gone before the body was read (a forced delay): a complete body node still holds counts.
      if (incoming.complete) {
        for (let chunk = incoming.read() as Buffer | null; chunk !== null; chunk = incoming.read() as Buffer | null) chunks.push(chunk);
      }
      resolve(chunks.reduce((n, c) => n + c.byteLength, 0) > limit ? 'too-large' : chunks);
      return;
    }
    incoming.on('data', onData);
    incoming.on('end', onEnd);
    incoming.on('close', onEnd);
  });
}

/** The body as text within `limit` bytes; `declaredLength` is the Content-Length header (as `Headers.get` gives it). */
export async function readBodyText(incoming: IncomingMessage, declaredLength: string | null, limit: number): Promise<string | 'too-large'> {
  if (declaredLength !== null && Number(declaredLength) > limit) return 'too-large';
  const chunks = await readChunks(incoming, limit);
  if (chunks === 'too-large') return chunks;
  return UTF8.decode(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
}
