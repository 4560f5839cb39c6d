import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { App, LogLevel } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startLocalSlack, type LocalSlack } from './local-slack.ts';
import { signSlackRequest } from './signing.ts';
import type { WorkspaceChange } from './workspace-state.ts';

const signingSecret = 'local-signing-secret';
const botToken = 'xoxb-local-bolt';
let slack: LocalSlack;
let app: App;
const heard: { actions: unknown[]; submissions: unknown[]; closed: unknown[] } = {
  actions: [],
  submissions: [],
  closed: [],
};

const runModal = {
  type: 'modal' as const,
  callback_id: 'start_billing_run',
  notify_on_close: true,
  title: { type: 'plain_text' as const, text: 'New billing run' },
  submit: { type: 'plain_text' as const, text: 'Start' },
  blocks: [
    {
      type: 'input',
      block_id: 'period',
      label: { type: 'plain_text' as const, text: 'Period' },
      element: { type: 'plain_text_input', action_id: 'value' },
    },
    {
      type: 'input',
      block_id: 'note',
      optional: true,
      label: { type: 'plain_text' as const, text: 'Note' },
      element: { type: 'plain_text_input', action_id: 'value' },
    },
  ],
};

function registerListeners(bolt: App): void {
  bolt.command('/invoice', async ({ ack, command, respond, client }) => {
    if (command.text === 'status') {
      await ack({ text: 'No billing run in progress' });
    } else if (command.text === 'start') {
      await ack();
      await client.views.open({ trigger_id: command.trigger_id, view: runModal });
    } else {
      await ack();
      await respond({ response_type: 'in_channel', text: `Working on "${command.text}"` });
    }
  });
  bolt.action('approve_invoice', async ({ ack, body, respond }) => {
    await ack();
    heard.actions.push(body);
    await respond({ replace_original: true, text: 'Approved by Avery' });
  });
  bolt.view('start_billing_run', async ({ ack, view }) => {
    heard.submissions.push(view);
    const period = view.state.values.period?.value?.value ?? '';
    if (period === '2026-12') {
      await ack({
        response_action: 'push',
        view: { type: 'modal', title: { type: 'plain_text', text: 'Confirm December' }, blocks: [] },
      });
      return;
    }
    if (!/^\d{4}-\d{2}$/.test(period)) {
      await ack({ response_action: 'errors', errors: { period: 'Use YYYY-MM, e.g. 2026-11' } });
      return;
    }
    await ack();
  });
  bolt.view({ callback_id: 'start_billing_run', type: 'view_closed' }, async ({ ack, body }) => {
    await ack();
    heard.closed.push(body);
  });
  bolt.action('dismiss_notice', async ({ ack, body, respond }) => {
    await ack();
    heard.actions.push(body);
    await respond({ delete_original: true });
  });
  bolt.event('app_home_opened', async ({ event, client }) => {
    await client.views.publish({
      user_id: event.user,
      view: {
        type: 'home',
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `Hello <@${event.user}>` } }],
      },
    });
  });
}

/** Resolves once the workspace reports a change that matches. */
function nextChange(matches: (change: WorkspaceChange) => boolean): Promise<WorkspaceChange> {
  return new Promise((resolve) => {
    const stop = slack.onChange((change) => {
      if (!matches(change)) return;
      stop();
      resolve(change);
    });
  });
}

beforeAll(async () => {
  slack = await startLocalSlack({ signingSecret, botToken });
  app = new App({
    signingSecret,
    token: botToken,
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } },
  });
  registerListeners(app);
  const server = (await app.start(0)) as Server;
  const { port } = server.address() as AddressInfo;
  slack.setEventsUrl(`http://127.0.0.1:${port}/slack/events`);
});

afterAll(async () => {
  await app.stop();
  await slack.stop();
});

describe('sendSlashCommand', () => {
  it("shows the ack's text to the person who ran the command, and no one else", async () => {
    const reply = await slack.sendSlashCommand({
      userId: 'U0FINANCE',
      channelId: 'C0BILLING',
      command: '/invoice',
      text: 'status',
    });

    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ text: 'No billing run in progress' });
    expect(slack.ephemerals('U0FINANCE').map((message) => message.text)).toContain(
      'No billing run in progress',
    );
    expect(slack.ephemerals('U0VIEWER')).toEqual([]);
  });

  it('sends the app only a command its manifest declares: Slackbot answers any other, to the person alone', async () => {
    const callsBefore = slack.calls().length;
    const ephemeralsBefore = slack.ephemerals('U0FINANCE').length;

    const reply = await slack.sendSlashCommand({
      userId: 'U0FINANCE',
      channelId: 'C0BILLING',
      command: '/invoce',
      text: 'run',
    });

    expect(reply.status).toBe(0);
    expect(reply.undeclared?.text).toMatch(/^\/invoce is not a valid command\./);
    expect(reply.undeclared?.user).toBe('USLACKBOT');
    expect(slack.ephemerals('U0FINANCE')).toHaveLength(ephemeralsBefore + 1);
    expect(slack.ephemerals('U0VIEWER')).toEqual([]);
    // The app heard nothing, so it made no Web API call either.
    expect(slack.calls()).toHaveLength(callsBefore);
  });

  it('records what respond() posts to the response_url and posts it in the channel', async () => {
    const posted = nextChange((change) => change.kind === 'response_url_posted');

    const reply = await slack.sendSlashCommand({
      userId: 'U0FINANCE',
      channelId: 'C0BILLING',
      command: '/invoice',
      text: 'INV-9',
    });
    await posted;

    expect(slack.responses(reply.responseUrl)).toEqual([
      expect.objectContaining({
        status: 200,
        outcome: 'posted_in_channel',
        body: expect.objectContaining({ text: 'Working on "INV-9"' }) as unknown,
      }),
    ]);
    expect(slack.messages('C0BILLING').at(-1)?.text).toBe('Working on "INV-9"');
  });
});

describe('clickButton', () => {
  it('delivers a block_actions payload to app.action, whose respond() replaces the message', async () => {
    const card = await app.client.chat.postMessage({
      channel: 'C0APPROVALS',
      text: 'INV-12 awaits approval',
      blocks: [
        {
          type: 'section',
          block_id: 'summary',
          text: { type: 'mrkdwn', text: '*INV-12* ACME, 1,200.00 EUR' },
        },
        {
          type: 'actions',
          block_id: 'decision',
          elements: [
            {
              type: 'button',
              action_id: 'approve_invoice',
              style: 'primary',
              value: 'inv_12',
              text: { type: 'plain_text', text: 'Approve' },
            },
          ],
        },
      ],
    });
    const replaced = nextChange((change) => change.kind === 'message_updated');

    const reply = await slack.clickButton({
      userId: 'U0APPROVER1',
      channelId: 'C0APPROVALS',
      messageTs: card.ts ?? '',
      actionId: 'approve_invoice',
    });
    await replaced;

    expect(reply.status).toBe(200);
    expect(heard.actions.at(-1)).toMatchObject({
      type: 'block_actions',
      user: { id: 'U0APPROVER1' },
      channel: { id: 'C0APPROVALS' },
      container: { type: 'message', message_ts: card.ts },
      message: { ts: card.ts },
      actions: [{ action_id: 'approve_invoice', block_id: 'decision', value: 'inv_12', style: 'primary' }],
    });
    expect(slack.messages('C0APPROVALS').find((message) => message.ts === card.ts)?.text).toBe(
      'Approved by Avery',
    );
  });

  it('finds the button on an ephemeral message, which respond() can delete', async () => {
    await app.client.chat.postEphemeral({
      channel: 'C0BILLING',
      user: 'U0FINANCE',
      text: 'Run 7 has 2 warnings',
      blocks: [
        {
          type: 'actions',
          elements: [
            { type: 'button', action_id: 'dismiss_notice', text: { type: 'plain_text', text: 'Dismiss' } },
          ],
        },
      ],
    });
    const deleted = nextChange((change) => change.kind === 'ephemeral_deleted');

    await slack.clickButton({ userId: 'U0FINANCE', channelId: 'C0BILLING', actionId: 'dismiss_notice' });
    await deleted;

    expect(heard.actions.at(-1)).toMatchObject({ container: { is_ephemeral: true } });
    expect(slack.ephemerals('U0FINANCE').some((message) => message.text === 'Run 7 has 2 warnings')).toBe(
      false,
    );
  });

  it('says clearly when the button is not on the message', async () => {
    const plain = await app.client.chat.postMessage({ channel: 'C0APPROVALS', text: 'no buttons here' });

    await expect(
      slack.clickButton({
        userId: 'U0APPROVER1',
        channelId: 'C0APPROVALS',
        messageTs: plain.ts ?? '',
        actionId: 'approve_invoice',
      }),
    ).rejects.toThrow(/No button approve_invoice/);
  });
});

describe('submitView', () => {
  async function openRunModal(): Promise<string> {
    const opened = nextChange((change) => change.kind === 'view_opened');
    await slack.sendSlashCommand({
      userId: 'U0FINANCE',
      channelId: 'C0BILLING',
      command: '/invoice',
      text: 'start',
    });
    const change = await opened;
    return 'viewId' in change ? change.viewId : '';
  }

  it('keeps the modal open and returns the errors when the app acks with response_action errors', async () => {
    const viewId = await openRunModal();

    const reply = await slack.submitView({
      userId: 'U0FINANCE',
      viewId,
      values: { period: { value: 'November' } },
    });

    expect(reply.errors).toEqual({ period: 'Use YYYY-MM, e.g. 2026-11' });
    expect(slack.openViews('U0FINANCE').map((view) => view.id)).toEqual([viewId]);
    expect(heard.submissions.at(-1)).toMatchObject({
      id: viewId,
      callback_id: 'start_billing_run',
      state: {
        values: {
          period: { value: { type: 'plain_text_input', value: 'November' } },
          note: { value: { type: 'plain_text_input', value: null } },
        },
      },
    });
  });

  it('closes the modal when the app acks with nothing', async () => {
    const viewId = await openRunModal();

    const reply = await slack.submitView({
      userId: 'U0FINANCE',
      viewId,
      values: { period: { value: '2026-11' } },
    });

    expect(reply.status).toBe(200);
    expect(reply.errors).toBeUndefined();
    expect(slack.openViews('U0FINANCE')).toEqual([]);
  });

  it('pushes the view the app acks with response_action push', async () => {
    const viewId = await openRunModal();

    await slack.submitView({ userId: 'U0FINANCE', viewId, values: { period: { value: '2026-12' } } });

    const stack = slack.openViews('U0FINANCE');
    expect(stack.map((view) => view.definition.title?.text)).toEqual(['New billing run', 'Confirm December']);
    expect(stack[1]?.previousViewId).toBe(viewId);
  });

  it('sends view_closed when the person closes a modal that asked to be told', async () => {
    const viewId = await openRunModal();

    const closed = await slack.closeView({ userId: 'U0FINANCE', viewId });

    expect(closed.notified).toBe(true);
    expect(heard.closed.at(-1)).toMatchObject({ type: 'view_closed', view: { id: viewId } });
    expect(slack.openViews('U0FINANCE')).toEqual([]);
  });
});

describe('openAppHome', () => {
  it('delivers app_home_opened, and the Home tab the app publishes is stored', async () => {
    const published = nextChange((change) => change.kind === 'home_published');

    const reply = await slack.openAppHome('U0VIEWER');
    await published;

    expect(reply.status).toBe(200);
    expect(slack.homeView('U0VIEWER')?.definition.blocks[0]).toMatchObject({
      text: { text: 'Hello <@U0VIEWER>' },
    });
  });
});

describe('request signing', () => {
  it('is refused with 401 by Bolt when the signature is wrong', async () => {
    const body = new URLSearchParams({
      command: '/invoice',
      text: 'status',
      user_id: 'U0FINANCE',
    }).toString();
    const timestamp = Math.floor(Date.now() / 1000);

    const response = await fetch(slack.eventsUrl ?? '', {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': signSlackRequest('not-the-secret', body, timestamp),
      },
      body,
    });

    expect(response.status).toBe(401);
  });
});
