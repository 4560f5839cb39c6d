import { mkdir, open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

// The chain's head kept outside the database: one JSON line per anchor in a file the operator chooses
// (AUDIT_ANCHOR_FILE), so someone who can rewrite the database cannot also rewrite what was anchored.
// NOTE: the idea of CloudTrail's digest files and Certificate Transparency's signed tree heads.

const anchorSchema = z.strictObject({
  seq: z.string().regex(/^[1-9]\d*$/),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  /** The first keyed entry of the chain when it was anchored; entries from there on must stay keyed. */
  keyedFrom: z
    .string()
    .regex(/^[1-9]\d*$/)
    .nullable(),
  at: z.iso.datetime(),
  reason: z.enum(['run_end', 'daily', 'manual']),
});

export type AuditAnchor = z.infer<typeof anchorSchema>;
export type AnchorReason = AuditAnchor['reason'];

export class AuditAnchorFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuditAnchorFileError';
  }
}

/** Every anchor in the file, oldest first; none when the file does not exist yet. */
export async function readAuditAnchors(file: string): Promise<AuditAnchor[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const anchors: AuditAnchor[] = [];
  for (const [index, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    let parsed;
    try {
      parsed = anchorSchema.safeParse(JSON.parse(line));
    } catch {
      parsed = undefined;
    }
    if (parsed?.success !== true) {
      throw new AuditAnchorFileError(
        `${file} line ${index + 1} is not an audit anchor billops wrote: the anchor file was changed; restore it from a copy (or the anchors posted in the alerts channel)`,
      );
    }
    anchors.push(parsed.data);
  }
  return anchors;
}

/** Appends one anchor and flushes it to disk before returning, creating the file (and folder) if needed. */
export async function appendAuditAnchor(file: string, anchor: AuditAnchor): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const handle = await open(file, 'a');
  try {
    await handle.appendFile(`${JSON.stringify(anchorSchema.parse(anchor))}\n`, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
}
