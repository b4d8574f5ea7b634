/**
 * The JWT Bearer flow as a sequence diagram: who takes part, and the messages between them in order,
 * as data (the Markdown guide lists them, the HTML guide draws them). The drawing is inline SVG made
 * here, no library and no external asset: colours come from the page's stylesheet through classes,
 * never from style attributes (the page's Content-Security-Policy admits only its own stylesheet),
 * and the figure carries a title and a description for screen readers.
 */
import { escapeHtml as h } from '../report/escape.ts';

export interface Lane {
  id: string;
  label: string;
  /** A second line under the label. */
  note: string;
}

export interface Message {
  from: string;
  to: string;
  label: string;
  /** A second, smaller line: what travels. */
  note: string;
  /** A dashed arrow: an answer, or something that happens later. */
  reply?: true;
}

export interface SequenceDiagram {
  title: string;
  lanes: readonly Lane[];
  messages: readonly Message[];
}

const LANE_WIDTH = 190;
const TOP = 70;
const STEP = 54;

/** The diagram as one inline <svg> element, sized by its lanes and messages. */
export function renderSequenceSvg(d: SequenceDiagram): string {
  const x = new Map(d.lanes.map((l, i) => [l.id, LANE_WIDTH / 2 + i * LANE_WIDTH] as const));
  const width = d.lanes.length * LANE_WIDTH;
  const height = TOP + d.messages.length * STEP + 30;
  const at = (id: string) => x.get(id) ?? 0;
  const lanes = d.lanes.map((l) => {
    const cx = at(l.id);
    return [
      `<rect class="seq-box" x="${cx - 84}" y="6" width="168" height="46" rx="6"/>`,
      `<text class="seq-lane" x="${cx}" y="25" text-anchor="middle">${h(l.label)}</text>`,
      `<text class="seq-note" x="${cx}" y="42" text-anchor="middle">${h(l.note)}</text>`,
      `<line class="seq-life" x1="${cx}" y1="52" x2="${cx}" y2="${height - 8}"/>`,
    ].join('');
  });
  const messages = d.messages.map((m, i) => {
    const y = TOP + i * STEP + 22;
    const from = at(m.from);
    const to = at(m.to);
    const dash = m.reply === true ? ' seq-reply' : '';
    const n = `${i + 1}. `;
    if (from === to) {
      // A step a party takes on its own: a loop back to its lifeline.
      const path = `M${from} ${y - 8} h40 v18 h-36`;
      return `<g class="seq-msg"><path class="seq-arrow${dash}" d="${path}" marker-end="url(#seq-head)"/><text class="seq-label" x="${from + 48}" y="${y - 2}">${h(n + m.label)}</text><text class="seq-note" x="${from + 48}" y="${y + 13}">${h(m.note)}</text></g>`;
    }
    const mid = (from + to) / 2;
    const end = to > from ? to - 4 : to + 4;
    return `<g class="seq-msg"><line class="seq-arrow${dash}" x1="${from}" y1="${y}" x2="${end}" y2="${y}" marker-end="url(#seq-head)"/><text class="seq-label" x="${mid}" y="${y - 8}" text-anchor="middle">${h(n + m.label)}</text><text class="seq-note" x="${mid}" y="${y + 15}" text-anchor="middle">${h(m.note)}</text></g>`;
  });
  const desc = d.messages.map((m, i) => `${i + 1}. ${laneLabel(d, m.from)} to ${laneLabel(d, m.to)}: ${m.label} (${m.note})`).join(' ');
  return [
    `<svg class="seq" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="seq-title seq-desc">`,
    `<title id="seq-title">${h(d.title)}</title>`,
    `<desc id="seq-desc">${h(desc)}</desc>`,
    '<defs><marker id="seq-head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path class="seq-head" d="M0 0 L10 5 L0 10 z"/></marker></defs>',
    ...lanes,
    ...messages,
    '</svg>',
  ].join('\n');
}

function laneLabel(d: SequenceDiagram, id: string): string {
  return d.lanes.find((l) => l.id === id)?.label ?? id;
}

/** The same messages as a numbered list, for the Markdown guide. */
export function sequenceLines(d: SequenceDiagram): string[] {
  return d.messages.map((m, i) => `${i + 1}. ${laneLabel(d, m.from)} → ${laneLabel(d, m.to)}: ${m.label} (${m.note})`);
}
