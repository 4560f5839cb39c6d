import { describe, expect, it } from 'vitest';

import { useTestWorkspace } from './test-workspace.ts';

const local = useTestWorkspace();

describe('users.info', () => {
  it('describes a seeded person', async () => {
    const answer = await local.client.users.info({ user: 'U0FINANCE' });

    expect(answer.user).toMatchObject({
      id: 'U0FINANCE',
      team_id: 'T0LOCAL',
      real_name: 'Fran Finance',
      is_bot: false,
      profile: { email: 'fran@example.com', real_name: 'Fran Finance' },
    });
  });

  it('answers user_not_found for someone unknown', async () => {
    await expect(local.client.users.info({ user: 'U0NOBODY' })).rejects.toMatchObject({
      data: { error: 'user_not_found' },
    });
  });
});

describe('usergroups.users.list', () => {
  it('lists the billing approvers', async () => {
    expect((await local.client.usergroups.users.list({ usergroup: 'S0APPROVERS' })).users).toEqual([
      'U0APPROVER1',
      'U0APPROVER2',
    ]);
  });

  it('answers no_such_subteam for an unknown group', async () => {
    await expect(local.client.usergroups.users.list({ usergroup: 'S0NOPE' })).rejects.toMatchObject({
      data: { error: 'no_such_subteam' },
    });
  });
});

describe('conversations.open', () => {
  it('gives the same DM channel each time, and posting to it lands there', async () => {
    const first = await local.client.conversations.open({ users: 'U0APPROVER2' });
    const again = await local.client.conversations.open({ users: 'U0APPROVER2' });
    const dm = first.channel?.id ?? '';

    await local.client.chat.postMessage({ channel: dm, text: 'You have 2 invoices to approve' });

    expect(dm).toMatch(/^D/);
    expect(again.channel?.id).toBe(dm);
    expect(local.slack.messages(dm).map((message) => message.text)).toEqual([
      'You have 2 invoices to approve',
    ]);
  });

  it("posts to a person's id in their DM with the bot", async () => {
    const posted = await local.client.chat.postMessage({ channel: 'U0VIEWER', text: 'hello' });
    const dm = await local.client.conversations.open({ users: 'U0VIEWER' });

    expect(posted.channel).toBe(dm.channel?.id);
  });
});
