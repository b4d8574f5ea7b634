/**
 * Choosing scenarios by id and tag, for `run` and `scenarios` alike. An id or a tag the catalogue does
 * not have is a usage mistake, whichever command met it, with one message: what is unknown, the close
 * match a typo most likely meant (by edit distance, as `explain` finds it), and what there is. A typo
 * beside a known tag is a mistake too, so that a run never quietly leaves scenarios out.
 */
import { UsageError } from '../../lib/errors.ts';
import type { Scenario } from '../../scenarios/schema.ts';
import { suggest } from '../diagnose/explain-match.ts';

/** "Did you mean --tag aud?" for each unknown value that has a close match. */
function meant(flag: string, unknown: readonly string[], known: readonly string[]): string[] {
  return unknown.flatMap((value) => {
    const [best] = suggest(value, known, 1);
    if (best === undefined) return [];
    return [unknown.length === 1 ? `Did you mean ${flag} ${best}?` : `"${value}": did you mean ${flag} ${best}?`];
  });
}

const quoted = (values: readonly string[]) => values.map((v) => `"${v}"`).join(', ');

/** The scenarios of `all` with one of `ids` (all when none) and one of `tags` (all when none), in catalogue order. */
export function selectScenarios(all: readonly Scenario[], ids: readonly string[], tags: readonly string[]): Scenario[] {
  const knownIds = all.map((s) => s.id);
  const unknownIds = ids.filter((id) => !knownIds.includes(id));
  if (unknownIds.length > 0) {
    throw new UsageError(`no scenario ${quoted(unknownIds)}`, { actions: [...meant('--scenario', unknownIds, knownIds), 'npx sfjwt scenarios lists the ids.'] });
  }
  const knownTags = [...new Set(all.flatMap((s) => s.tags))].sort();
  const unknownTags = tags.filter((tag) => !knownTags.includes(tag));
  if (unknownTags.length > 0) {
    throw new UsageError(`no scenario has the tag${unknownTags.length > 1 ? 's' : ''} ${quoted(unknownTags)}`, {
      actions: [...meant('--tag', unknownTags, knownTags), `Tags: ${knownTags.join(', ')}.`],
    });
  }
  return all.filter((s) => (ids.length === 0 || ids.includes(s.id)) && (tags.length === 0 || tags.some((t) => s.tags.includes(t))));
}
