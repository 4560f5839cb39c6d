import type { Deps } from '../ports/deps.ts';

const GROUP_TTL_MS = 60_000;
const groupCache = new Map<string, { members: ReadonlySet<string>; until: number }>();

/**
 * Whether a Slack user may approve: listed in billing.yml `approval.approvers.users`, or in one of its
 * user groups. NOTE: usergroups.users.list is Tier 2 (~20/min), so memberships are cached a minute.
 */
export async function isApprover(
  deps: Pick<Deps, 'billing' | 'slack' | 'clock'>,
  userId: string,
): Promise<boolean> {
  const { users, usergroups } = deps.billing.approval.approvers;
  if (users.includes(userId)) return true;
  for (const group of usergroups) {
    if ((await membersOf(deps, group)).has(userId)) return true;
  }
  return false;
}

async function membersOf(deps: Pick<Deps, 'slack' | 'clock'>, group: string): Promise<ReadonlySet<string>> {
  const now = deps.clock.now().getTime();
  const cached = groupCache.get(group);
  if (cached !== undefined && cached.until > now) return cached.members;
  const members = new Set(await deps.slack.userGroupMembers(group));
  groupCache.set(group, { members, until: now + GROUP_TTL_MS });
  return members;
}
