/**
 * A trainee's progress through the labs: the lab in hand, and per lab when it was started, how many
 * hints were shown, how many requests were checked and when it was solved. Kept in the mock's state
 * folder (labs/progress.json) so it survives a restart of the mock and is the same for the CLI and
 * the console; without a folder (an in-process mock) it lives in memory. A file that cannot be read
 * as progress is set aside, never a crash: the trainee starts again with a note.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';

const LabEntry = z.object({
  started: z.string(),
  hints: z.int().min(0).default(0),
  checks: z.int().min(0).default(0),
  solved: z.string().optional(),
});

const ProgressSchema = z.object({ current: z.string().optional(), labs: z.record(z.string(), LabEntry).default({}) });

export type LabProgress = z.output<typeof ProgressSchema>;
export type LabEntry = z.output<typeof LabEntry>;

export class ProgressStore {
  private memory: LabProgress = { labs: {} };
  /** Set when the file held something else: where it was moved. */
  setAside: string | undefined;

  constructor(private readonly file?: string) {
    if (file !== undefined) this.memory = this.load(file);
  }

  private load(file: string): LabProgress {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return { labs: {} };
    }
    try {
      return ProgressSchema.parse(JSON.parse(text));
    } catch {
      // Not progress (edited by hand, cut short): kept beside it, and the trainee starts afresh.
      this.setAside = `${file}.unreadable`;
      try {
        renameSync(file, this.setAside);
      } catch {
        this.setAside = undefined;
      }
      return { labs: {} };
    }
  }

  read(): LabProgress {
    return structuredClone(this.memory);
  }

  update(change: (p: LabProgress) => void): LabProgress {
    const next = this.read();
    change(next);
    this.memory = next;
    if (this.file !== undefined) {
      mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
      // Whole or not at all: a crash mid-write leaves the previous progress.
      const temp = `${this.file}.${process.pid}.tmp`;
      writeFileSync(temp, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 });
      renameSync(temp, this.file);
    }
    return this.read();
  }
}
