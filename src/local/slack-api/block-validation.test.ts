import { describe, expect, it } from 'vitest';

import { checkMessageBlocks, checkView } from './block-validation.ts';

const button = (actionId: string) => ({
  type: 'button',
  action_id: actionId,
  text: { type: 'plain_text', text: 'Go' },
});

describe('checkMessageBlocks', () => {
  it.each([
    [
      'an unknown block type',
      [{ type: 'carousel' }],
      '[ERROR] unsupported type: carousel [json-pointer:/blocks/0/type]',
    ],
    [
      'a header in mrkdwn',
      [{ type: 'header', text: { type: 'mrkdwn', text: 'x' } }],
      '[ERROR] must be plain_text [json-pointer:/blocks/0/type]'.replace(
        '/blocks/0/type',
        '/blocks/0/text/type',
      ),
    ],
    [
      'two buttons with one action_id in a block',
      [{ type: 'actions', elements: [button('approve'), button('approve')] }],
      '[ERROR] duplicate action_id: approve [json-pointer:/blocks/0/elements/1/action_id]',
    ],
    [
      'an action_id over 255 characters',
      [{ type: 'actions', elements: [button('a'.repeat(256))] }],
      '[ERROR] must be less than 256 characters [json-pointer:/blocks/0/elements/0/action_id]',
    ],
    [
      'a block_id over 255 characters',
      [{ type: 'divider', block_id: 'b'.repeat(256) }],
      '[ERROR] must be less than 256 characters [json-pointer:/blocks/0/block_id]',
    ],
  ])('refuses %s', (_case, blocks, message) => {
    expect(checkMessageBlocks(blocks)).toEqual({ ok: false, error: 'invalid_blocks', messages: [message] });
  });

  it('refuses blocks that are not JSON with invalid_blocks_format', () => {
    expect(checkMessageBlocks('[{"type":')).toMatchObject({ ok: false, error: 'invalid_blocks_format' });
  });

  it('allows the same action_id in different blocks, and fills in missing block and action ids', () => {
    const checked = checkMessageBlocks([
      { type: 'actions', elements: [button('open')] },
      { type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'x' } }] },
      { type: 'actions', elements: [button('open')] },
    ]);

    expect(checked.ok).toBe(true);
    const blocks = checked.ok ? checked.blocks : [];
    expect(blocks.every((block) => typeof block.block_id === 'string')).toBe(true);
    expect(blocks[1]?.elements).toEqual([
      expect.objectContaining({ action_id: expect.any(String) as unknown }),
    ]);
  });
});

describe('the text of all blocks together', () => {
  // chat.postMessage msg_blocks_too_long: Slack refuses blocks whose text together is too long (about
  // 13,000 characters; the local Slack says so over 12,000), though every block is within its own limit.
  const section = (length: number) => ({
    type: 'section',
    text: { type: 'mrkdwn', text: 'x'.repeat(length) },
  });

  it('is refused with msg_blocks_too_long past 12,000 characters, and taken up to it', () => {
    expect(
      checkMessageBlocks([section(3000), section(3000), section(3000), section(3000), section(1)]),
    ).toEqual({
      ok: false,
      error: 'msg_blocks_too_long',
      messages: [],
    });
    expect(checkMessageBlocks([section(3000), section(3000), section(3000), section(3000)]).ok).toBe(true);
  });
});

describe('checkView', () => {
  const title = { type: 'plain_text', text: 'Title' };

  it('refuses more than 100 blocks and private_metadata over 3000 characters', () => {
    const blocks = Array.from({ length: 101 }, () => ({ type: 'divider' }));
    const checked = checkView({ type: 'modal', title, blocks, private_metadata: 'm'.repeat(3001) }, 'modal');

    expect(checked).toEqual({
      ok: false,
      error: 'invalid_arguments',
      messages: [
        '[ERROR] no more than 100 items allowed [json-pointer:/view/blocks]',
        '[ERROR] must be less than 3001 characters [json-pointer:/view/private_metadata]',
      ],
    });
  });

  it('refuses a view over 250 kB with view_too_large', () => {
    const huge = { type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(2900) } };
    const checked = checkView(
      { type: 'modal', title, blocks: Array.from({ length: 99 }, () => huge) },
      'modal',
    );

    expect(checked).toMatchObject({ ok: false, error: 'view_too_large' });
  });

  it('refuses a submit label over 24 characters', () => {
    const checked = checkView(
      { type: 'modal', title, submit: { type: 'plain_text', text: 's'.repeat(25) }, blocks: [] },
      'modal',
    );

    expect(checked).toMatchObject({
      messages: ['[ERROR] must be less than 25 characters [json-pointer:/view/submit/text]'],
    });
  });
});
