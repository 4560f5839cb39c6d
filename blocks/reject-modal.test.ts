import type { InputBlock, PlainTextInput } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { viewProblems, visibleText } from '../test/support/block-kit-queries.ts';
import { REJECT_MODAL, REJECT_REASON_BLOCK, REJECT_REASON_INPUT } from './ids.ts';
import { buildRejectModal } from './reject-modal.ts';
import { HOSTILE_NAME } from '../test/support/view-model-factories.ts';

const input = { invoiceId: 'inv-42', version: 7, customerName: 'Acme Ltd', total: '1.25', currency: 'KWD' };

describe('buildRejectModal', () => {
  it('asks for a required reason of at most 1,000 characters in a multiline input', () => {
    const view = buildRejectModal(input);
    expect(view.callback_id).toBe(REJECT_MODAL);
    const reason = view.blocks.find((block): block is InputBlock => block.type === 'input');
    expect(reason?.block_id).toBe(REJECT_REASON_BLOCK);
    expect(reason?.optional).toBe(false);
    const element = reason?.element as PlainTextInput | undefined;
    expect(element).toMatchObject({
      type: 'plain_text_input',
      action_id: REJECT_REASON_INPUT,
      multiline: true,
      max_length: 1000,
    });
  });

  it('carries the invoice and version in private_metadata, for the submission to check', () => {
    const view = buildRejectModal(input);
    expect(JSON.parse(view.private_metadata ?? '')).toEqual({ invoiceId: 'inv-42', version: 7 });
  });

  it('has Reject and Cancel buttons and passes the local Slack API', () => {
    const view = buildRejectModal(input);
    expect(view.submit?.text).toBe('Reject');
    expect(view.close?.text).toBe('Cancel');
    expect(viewProblems(view)).toEqual([]);
  });

  it('names the customer, escaped, and the formatted total', () => {
    const view = buildRejectModal({ ...input, customerName: HOSTILE_NAME });
    const text = visibleText(view.blocks);
    expect(text).toContain('*&lt;!channel&gt; \u2217Acme\u2217 &amp; &lt;@U123&gt;* for *KWD\u00a01.250*');
    expect(JSON.stringify(view)).not.toMatch(/<!channel>|<@U123>/);
  });

  it('stays valid with a very long customer name', () => {
    expect(viewProblems(buildRejectModal({ ...input, customerName: '&'.repeat(10_000) }))).toEqual([]);
  });
});
