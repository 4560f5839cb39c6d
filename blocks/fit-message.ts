import type { Block, KnownBlock } from '@slack/types';
import { context } from './block-elements.ts';
import { MESSAGE_BLOCKS_TEXT_MAX } from './slack-limits.ts';

type AnyBlock = KnownBlock | Block;

/** Every character of text in the blocks, as Slack counts toward msg_blocks_too_long. */
export function blocksTextLength(value: unknown): number {
  if (Array.isArray(value)) return value.reduce<number>((total, item) => total + blocksTextLength(item), 0);
  if (typeof value !== 'object' || value === null) return 0;
  let total = 0;
  for (const [key, item] of Object.entries(value)) {
    total += key === 'text' && typeof item === 'string' ? item.length : blocksTextLength(item);
  }
  return total;
}

/**
 * The blocks in runs that each fit one Slack message (in order; one run when they all fit). A block is
 * never cut: each builder keeps a block within Slack's per-block limits, far under the message's.
 */
export function splitToFit(blocks: readonly AnyBlock[], max = MESSAGE_BLOCKS_TEXT_MAX): AnyBlock[][] {
  const runs: AnyBlock[][] = [];
  let run: AnyBlock[] = [];
  let length = 0;
  for (const block of blocks) {
    const size = blocksTextLength(block);
    if (run.length > 0 && length + size > max) {
      runs.push(run);
      run = [];
      length = 0;
    }
    run.push(block);
    length += size;
  }
  if (run.length > 0) runs.push(run);
  return runs;
}

/** The blocks shortened to fit one message, saying how much was left out and where to find it all. */
export function shortenToFit(blocks: readonly AnyBlock[], whereAll: string): AnyBlock[] {
  const note = `Shortened to fit one Slack message: ${whereAll}`;
  const runs = splitToFit(blocks, MESSAGE_BLOCKS_TEXT_MAX - note.length);
  const [first = []] = runs;
  return runs.length <= 1 ? [...blocks] : [...first, context(note)];
}
