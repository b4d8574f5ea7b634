/**
 * A decision's wire answer, byte for byte as Salesforce sends it (responses.ts holds the bytes):
 * the redirect, the HTML 404 page, the 413 page, an OAuth error or the token response in the format
 * the request asked for. Pure: rendering a decision twice gives the same bytes and changes nothing.
 */
import { notFoundPage, oauthResponse, payloadTooLarge, redirect, type WireResponse } from '../responses.ts';
import type { Decision } from './decision.ts';

/** The answer, or `dropped` when the connection is to be dropped without one. */
export function render(decision: Decision): WireResponse | 'dropped' {
  const { answer, wire } = decision;
  switch (answer.kind) {
    case 'redirect':
      return redirect(answer.location, wire);
    case 'not-found':
      return notFoundPage(wire);
    case 'too-large':
      return payloadTooLarge(wire);
    case 'dropped':
      return 'dropped';
    case 'error':
      return oauthResponse(
        answer.status,
        [
          ['error', answer.error],
          ['error_description', answer.description],
        ],
        wire,
      );
    case 'token':
      return oauthResponse(200, answer.fields, wire);
  }
}
