import { describe, expect, it } from 'vitest';

import { slackError, useTestWorkspace } from './test-workspace.ts';

let clock = Date.UTC(2026, 10, 21, 9, 0, 0);
const local = useTestWorkspace({ now: () => clock });

function modal(title = 'New billing run') {
  return {
    type: 'modal' as const,
    callback_id: 'start_billing_run',
    private_metadata: '{"period":"2026-11"}',
    title: { type: 'plain_text' as const, text: title },
    submit: { type: 'plain_text' as const, text: 'Start' },
    blocks: [
      {
        type: 'input',
        block_id: 'period',
        label: { type: 'plain_text' as const, text: 'Period' },
        element: { type: 'plain_text_input', action_id: 'value' },
      },
    ],
  };
}

describe('views.open', () => {
  it('opens a modal for the person whose trigger it is', async () => {
    const triggerId = local.slack.workspace.issueTrigger('U0FINANCE');

    const answer = await local.client.views.open({ trigger_id: triggerId, view: modal() });

    expect(answer.view).toMatchObject({
      id: expect.stringMatching(/^V/) as unknown,
      callback_id: 'start_billing_run',
      private_metadata: '{"period":"2026-11"}',
      team_id: 'T0LOCAL',
      app_id: 'A0BILLOPS',
      bot_id: 'B0BILLOPS',
      state: { values: {} },
    });
    expect(answer.view?.root_view_id).toBe(answer.view?.id);
    expect(local.slack.openViews('U0FINANCE').map((view) => view.id)).toEqual([answer.view?.id]);
  });

  it('refuses a trigger used twice with exchanged_trigger_id', async () => {
    const triggerId = local.slack.workspace.issueTrigger('U0FINANCE');
    await local.client.views.open({ trigger_id: triggerId, view: modal() });

    expect((await slackError(local.client.views.open({ trigger_id: triggerId, view: modal() }))).error).toBe(
      'exchanged_trigger_id',
    );
  });

  it('refuses a trigger older than 3 seconds with expired_trigger_id', async () => {
    const triggerId = local.slack.workspace.issueTrigger('U0FINANCE');
    clock += 3_001;

    expect((await slackError(local.client.views.open({ trigger_id: triggerId, view: modal() }))).error).toBe(
      'expired_trigger_id',
    );
  });

  it('refuses a trigger it never issued with invalid_trigger_id', async () => {
    expect((await slackError(local.client.views.open({ trigger_id: '1.2.3', view: modal() }))).error).toBe(
      'invalid_trigger_id',
    );
  });

  it('refuses a title over 24 characters with invalid_arguments and the reason', async () => {
    const triggerId = local.slack.workspace.issueTrigger('U0FINANCE');
    const refusal = await slackError(
      local.client.views.open({ trigger_id: triggerId, view: modal('x'.repeat(25)) }),
    );

    expect(refusal).toEqual({
      error: 'invalid_arguments',
      messages: ['[ERROR] must be less than 25 characters [json-pointer:/view/title/text]'],
    });
  });

  it('refuses input blocks in a modal without a submit button', async () => {
    const triggerId = local.slack.workspace.issueTrigger('U0FINANCE');
    const { submit: _submit, ...withoutSubmit } = modal();

    const refusal = await slackError(local.client.views.open({ trigger_id: triggerId, view: withoutSubmit }));

    expect(refusal.error).toBe('invalid_arguments');
    expect(refusal.messages[0]).toContain('must define `submit`');
  });
});

describe('views.update', () => {
  it('replaces the view in place with a new hash, and refuses a stale hash with hash_conflict', async () => {
    const opened = await local.client.views.open({
      trigger_id: local.slack.workspace.issueTrigger('U0APPROVER1'),
      view: modal(),
    });
    const viewId = opened.view?.id ?? '';
    const firstHash = opened.view?.hash ?? '';

    const updated = await local.client.views.update({
      view_id: viewId,
      hash: firstHash,
      view: modal('Run started'),
    });
    const stale = await slackError(
      local.client.views.update({ view_id: viewId, hash: firstHash, view: modal('Again') }),
    );

    expect(updated.view?.id).toBe(viewId);
    expect(updated.view?.hash).not.toBe(firstHash);
    expect(local.slack.openViews('U0APPROVER1')[0]?.definition.title?.text).toBe('Run started');
    expect(stale.error).toBe('hash_conflict');
  });

  it('answers not_found for a view that is not open', async () => {
    expect((await slackError(local.client.views.update({ view_id: 'V0NOPE', view: modal() }))).error).toBe(
      'not_found',
    );
  });
});

describe('views.publish', () => {
  it("stores the person's Home tab and keeps its id across publishes", async () => {
    const home = {
      type: 'home' as const,
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Runs' } }],
    };

    const first = await local.client.views.publish({ user_id: 'U0VIEWER', view: home });
    const second = await local.client.views.publish({
      user_id: 'U0VIEWER',
      view: home,
      hash: first.view?.hash ?? '',
    });

    expect(second.view?.id).toBe(first.view?.id);
    expect(local.slack.homeView('U0VIEWER')?.definition.blocks[0]).toMatchObject({ text: { text: 'Runs' } });
  });

  it('refuses a modal as a Home tab and an unknown person', async () => {
    expect((await slackError(local.client.views.publish({ user_id: 'U0VIEWER', view: modal() }))).error).toBe(
      'invalid_arguments',
    );
    expect(
      (
        await slackError(
          local.client.views.publish({ user_id: 'U0NOBODY', view: { type: 'home', blocks: [] } }),
        )
      ).error,
    ).toBe('user_not_found');
  });
});
