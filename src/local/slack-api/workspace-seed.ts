/** The people, channels and groups the local workspace starts with. */
export interface SeedUser {
  id: string;
  name: string;
  realName: string;
  displayName: string;
  email: string;
  tz: string;
}

export interface SeedChannel {
  id: string;
  name: string;
  /** A private channel: unseen by anyone not in it (Slack answers channel_not_found). */
  private?: boolean;
  /**
   * Who is in the channel, the bot included when it was invited (`/invite @billops`). Default: every
   * seeded person and the bot, as after setting billops up.
   */
  members?: string[];
}

export interface SeedUserGroup {
  id: string;
  handle: string;
  name: string;
  users: string[];
}

export interface WorkspaceSeed {
  team: { id: string; name: string; domain: string };
  appId: string;
  bot: { userId: string; botId: string; name: string };
  channels: SeedChannel[];
  /** The slash commands the app's manifest declares: Slack sends the app no other. */
  commands: string[];
  users: SeedUser[];
  userGroups: SeedUserGroup[];
}

export const defaultWorkspaceSeed: WorkspaceSeed = {
  team: { id: 'T0LOCAL', name: 'billops (local)', domain: 'billops-local' },
  appId: 'A0BILLOPS',
  bot: { userId: 'U0BILLOPS', botId: 'B0BILLOPS', name: 'billops' },
  // NOTE: as manifest.yml's slash_commands (test/manifest-scopes.test.ts checks they agree).
  commands: ['/invoice'],
  channels: [
    { id: 'C0BILLING', name: 'billing' },
    { id: 'C0APPROVALS', name: 'approvals' },
    { id: 'C0ALERTS', name: 'alerts' },
  ],
  users: [
    {
      id: 'U0FINANCE',
      name: 'fran',
      realName: 'Fran Finance',
      displayName: 'Fran',
      email: 'fran@example.com',
      tz: 'Europe/London',
    },
    {
      id: 'U0APPROVER1',
      name: 'avery',
      realName: 'Avery Approver',
      displayName: 'Avery',
      email: 'avery@example.com',
      tz: 'Europe/London',
    },
    {
      id: 'U0APPROVER2',
      name: 'blake',
      realName: 'Blake Approver',
      displayName: 'Blake',
      email: 'blake@example.com',
      tz: 'America/New_York',
    },
    {
      id: 'U0VIEWER',
      name: 'val',
      realName: 'Val Viewer',
      displayName: 'Val',
      email: 'val@example.com',
      tz: 'Europe/London',
    },
  ],
  userGroups: [
    {
      id: 'S0APPROVERS',
      handle: 'billing-approvers',
      name: 'Billing approvers',
      users: ['U0APPROVER1', 'U0APPROVER2'],
    },
  ],
};
