import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startLocalSlack, type LocalSlack } from './local-slack.ts';

const botToken = 'xoxb-local-test';
let slack: LocalSlack;
let client: WebClient;

beforeAll(async () => {
  slack = await startLocalSlack({ signingSecret: 'secret', botToken });
  client = new WebClient(botToken, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
});

afterAll(async () => {
  await slack.stop();
});

describe('files.uploadV2', () => {
  it('stores the bytes and posts the file as a reply in the thread', async () => {
    const parent = await client.chat.postMessage({ channel: 'C0BILLING', text: 'Invoice INV-7 approved' });
    const pdf = Buffer.from('%PDF-1.7 invoice INV-7');

    const uploaded = await client.files.uploadV2({
      channel_id: 'C0BILLING',
      thread_ts: parent.ts ?? '',
      file: pdf,
      filename: 'INV-7.pdf',
      title: 'Invoice INV-7',
      initial_comment: 'Here is the PDF',
    });

    expect(uploaded.ok).toBe(true);
    expect(slack.calls('files.completeUploadExternal')[0]?.args.files).toEqual([
      { id: expect.stringMatching(/^F/) as unknown, title: 'Invoice INV-7' },
    ]);
    const reply = slack.messages('C0BILLING', { threadTs: parent.ts ?? '' })[0];
    expect(reply?.text).toBe('Here is the PDF');
    const stored = slack.file(reply?.fileIds[0] ?? '');
    expect(stored).toMatchObject({ name: 'INV-7.pdf', title: 'Invoice INV-7', mimetype: 'application/pdf' });
    expect(stored?.bytes?.equals(pdf)).toBe(true);
  });

  it('serves the stored bytes at url_private to the bot token', async () => {
    const bytes = Buffer.from('customer,amount\nACME,100.00\n');
    await client.files.uploadV2({ channel_id: 'C0ALERTS', file: bytes, filename: 'run.csv' });
    const message = slack.messages('C0ALERTS').at(-1);
    const file = await client.files.info({ file: message?.fileIds[0] ?? '' });

    const download = await fetch(file.file?.url_private ?? '', {
      headers: { authorization: `Bearer ${botToken}` },
    });

    expect(file.file?.mimetype).toBe('text/csv');
    expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('refuses to complete an upload whose bytes never arrived with file_not_found', async () => {
    const url = await client.files.getUploadURLExternal({ filename: 'lost.pdf', length: 10 });

    const completed = client.files.completeUploadExternal({
      files: [{ id: url.file_id ?? '' }],
      channel_id: 'C0BILLING',
    });

    await expect(completed).rejects.toMatchObject({ data: { error: 'file_not_found' } });
  });
});
