/**
 * A guard against values nested too deep, for what a user's file holds (a world, a scenario). JSON.parse
 * reads 100,000 nested arrays without complaint, but every recursive step after it (a schema, an error
 * message that shows the value, JSON.stringify, structuredClone) then overflows the stack and ends in
 * a RangeError. These walks are iterative, so they cannot overflow themselves: a quick one answers for
 * the usual tree; only when it finds a value past the limit (or objects shared so much that paths
 * multiply) does a second one, which visits a shared object again only when reached deeper, find the
 * path so the error can name the field. A cycle (possible in a value built in code) is too deep.
 */

/**
 * Nesting a file of sfjwt's may have: a world is at most 4 levels deep (users[0].loginIpRanges[0].start),
 * a scenario about 6 (mistakes[0].set.claim.value); 100 leaves room for any value a claim may hold and
 * keeps every later recursive step far from the stack's end.
 */
export const MAX_JSON_DEPTH = 100;

/** Objects visited before the quick walk gives way to the one that remembers (for shared objects). */
const QUICK_WALK_BUDGET = 20_000_000;

/**
 * The quick walk, for the usual case (a tree from JSON.parse): no bookkeeping but a stack of values
 * and depths. "budget" when a value built in code shares objects so much that paths multiply.
 */
function quickWalk(value: unknown, maxDepth: number): 'ok' | 'deep' | 'budget' {
  const values: unknown[] = [value];
  const depths: number[] = [0];
  let visits = 0;
  while (values.length > 0) {
    const v = values.pop();
    const depth = depths.pop() ?? 0;
    if (v === null || typeof v !== 'object') continue;
    if (depth > maxDepth) return 'deep';
    visits += 1;
    if (visits > QUICK_WALK_BUDGET) return 'budget';
    const children: unknown[] = Array.isArray(v) ? v : Object.values(v);
    for (const child of children) {
      if (child !== null && typeof child === 'object') {
        values.push(child);
        depths.push(depth + 1);
      }
    }
  }
  return 'ok';
}

/** The path to the first value nested deeper than `maxDepth` (the root is depth 0), or undefined. */
export function tooDeepAt(value: unknown, maxDepth = MAX_JSON_DEPTH): (string | number)[] | undefined {
  if (quickWalk(value, maxDepth) === 'ok') return undefined;
  // Rare: walk again, remembering how deep each object was reached and how, to name the field.
  const reached = new WeakMap<object, number>();
  const stack: { value: unknown; depth: number; key: string | number | undefined; parent: number }[] = [{ value, depth: 0, key: undefined, parent: -1 }];
  // Entries stay in `visited` so that a path can be rebuilt from parent links when the limit is hit.
  const visited: { key: string | number | undefined; parent: number }[] = [];
  while (stack.length > 0) {
    const entry = stack.pop();
    if (entry === undefined) break;
    const at = visited.push({ key: entry.key, parent: entry.parent }) - 1;
    if (entry.depth > maxDepth) {
      const path: (string | number)[] = [];
      for (let i = at; i > 0; i = visited[i]?.parent ?? 0) {
        const key = visited[i]?.key;
        if (key !== undefined) path.unshift(key);
      }
      return path;
    }
    const v = entry.value;
    if (v === null || typeof v !== 'object') continue;
    if ((reached.get(v) ?? -1) >= entry.depth) continue;
    reached.set(v, entry.depth);
    const children: [string | number, unknown][] = Array.isArray(v) ? v.map((c, i) => [i, c]) : Object.entries(v);
    for (let i = children.length - 1; i >= 0; i -= 1) {
      const [key, child] = children[i] as [string | number, unknown];
      if (child !== null && typeof child === 'object') stack.push({ value: child, depth: entry.depth + 1, key, parent: at });
    }
  }
  return undefined;
}
