/**
 * What a target answered, as a result keeps it: status, error fields, the kind of body, whether a 200
 * carried a token (never the token), or that no answer came; and the one way an answer is written
 * in a line, for the results' own words and for every report.
 */

export interface Answer {
  status: number;
  error?: string;
  error_description?: string;
  body: 'json' | 'html' | 'text' | 'none';
  /** A 200 carried an access_token (the token itself is never kept). */
  hasToken?: boolean;
  networkError?: string;
}

/** `400 invalid_grant: audience is invalid`, `200 with a token`, or `no answer: ECONNREFUSED`: the one way an answer is written. */
export function answerLine(answer: Answer | undefined): string {
  if (answer === undefined) return 'not sent';
  if (answer.networkError !== undefined) return `no answer: ${answer.networkError}`;
  const error = [answer.error, answer.error_description].filter((x) => x !== undefined).join(': ');
  const body = answer.body === 'json' || answer.body === 'none' ? '' : ` (${answer.body} body)`;
  const token = answer.hasToken === undefined ? '' : answer.hasToken ? ' with a token' : ' without a token';
  return `${answer.status}${token}${error === '' ? '' : ` ${error}`}${body}`;
}
