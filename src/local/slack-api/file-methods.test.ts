import { describe, expect, it, vi } from 'vitest';

import { botToken, useTestWorkspace } from './test-workspace.ts';

const local = useTestWorkspace();

describe('files.uploadV2', () => {
  it('stores the bytes and posts the file as a reply in the thread', async () => {
    const parent = await local.client.chat.postMessage({
      channel: 'C0BILLING',
      text: 'Invoice INV-7 approved',
    });
    const pdf = Buffer.from('%PDF-1.7 invoice INV-7');

    const uploaded = await local.client.files.uploadV2({
      channel_id: 'C0BILLING',
      thread_ts: parent.ts ?? '',
      file: pdf,
      filename: 'INV-7.pdf',
      title: 'Invoice INV-7',
      initial_comment: 'Here is the PDF',
    });

    expect(uploaded.ok).toBe(true);
    expect(local.slack.calls('files.completeUploadExternal')[0]?.args.files).toEqual([
      { id: expect.stringMatching(/^F/) as unknown, title: 'Invoice INV-7' },
    ]);
    // Sharing into the channel is asynchronous in Slack: no share in the answer, the message a moment later.
    const answered = (uploaded as { files?: { files?: { shares?: unknown }[] }[] }).files?.[0]?.files?.[0];
    expect(answered?.shares).toEqual({});
    expect(local.slack.messages('C0BILLING', { threadTs: parent.ts ?? '' })).toEqual([]);
    const reply = await vi.waitFor(() => {
      const found = local.slack.messages('C0BILLING', { threadTs: parent.ts ?? '' })[0];
      if (found === undefined) throw new Error('not shared yet');
      return found;
    });
    expect(reply.text).toBe('Here is the PDF');
    const stored = local.slack.file(reply.fileIds[0] ?? '');
    expect(stored).toMatchObject({ name: 'INV-7.pdf', title: 'Invoice INV-7', mimetype: 'application/pdf' });
    expect(stored?.bytes?.equals(pdf)).toBe(true);
  });

  it('serves the stored bytes at url_private to the bot token', async () => {
    const bytes = Buffer.from('customer,amount\nACME,100.00\n');
    await local.client.files.uploadV2({ channel_id: 'C0ALERTS', file: bytes, filename: 'run.csv' });
    const message = await vi.waitFor(() => {
      const found = local.slack.messages('C0ALERTS').at(-1);
      if (found === undefined) throw new Error('not shared yet');
      return found;
    });
    const file = await local.client.files.info({ file: message.fileIds[0] ?? '' });

    const download = await fetch(file.file?.url_private ?? '', {
      headers: { authorization: `Bearer ${botToken}` },
    });

    expect(file.file?.mimetype).toBe('text/csv');
    expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('refuses to complete an upload whose bytes never arrived with file_not_found', async () => {
    const url = await local.client.files.getUploadURLExternal({ filename: 'lost.pdf', length: 10 });

    const completed = local.client.files.completeUploadExternal({
      files: [{ id: url.file_id ?? '' }],
      channel_id: 'C0BILLING',
    });

    await expect(completed).rejects.toMatchObject({ data: { error: 'file_not_found' } });
  });
});
