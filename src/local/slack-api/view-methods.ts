import { z } from 'zod';

import { checkView, type ViewDefinition } from './block-validation.ts';
import { parseArguments, refuse, succeed, type MethodHandler, type MethodOutcome } from './method-outcome.ts';
import { wireView } from './wire-shapes.ts';
import type { StoredView, WorkspaceState } from './workspace-state.ts';

// NOTE: Slack stacks at most 3 modals.
const maxModalStack = 3;

const triggeredArguments = z.object({ trigger_id: z.string(), view: z.unknown() });

const updateArguments = z.object({
  view_id: z.string().optional(),
  external_id: z.string().optional(),
  hash: z.string().optional(),
  view: z.unknown(),
});

const publishArguments = z.object({
  user_id: z.string().optional(),
  hash: z.string().optional(),
  view: z.unknown(),
});

type ModalCheck = { ok: true; definition: ViewDefinition } | { ok: false; outcome: MethodOutcome };

function checkModal(state: WorkspaceState, raw: unknown, replacing?: StoredView): ModalCheck {
  const checked = checkView(raw, replacing?.definition.type ?? 'modal');
  if (!checked.ok) return { ok: false, outcome: refuse(checked.error, checked.messages) };
  const { externalId } = checked.view;
  if (externalId !== '') {
    const holder = state.viewByExternalId(externalId);
    if (holder !== undefined && holder.id !== replacing?.id)
      return { ok: false, outcome: refuse('duplicate_external_id') };
  }
  return { ok: true, definition: checked.view };
}

type TriggeredModal =
  { ok: true; userId: string; definition: ViewDefinition } | { ok: false; outcome: MethodOutcome };

/** views.open and views.push: a valid modal, then the trigger_id, which names the person and is good once. */
function triggeredModal(state: WorkspaceState, raw: Record<string, unknown>): TriggeredModal {
  const parsed = parseArguments(triggeredArguments, raw);
  if (!parsed.ok) return parsed;
  const checked = checkModal(state, parsed.args.view);
  if (!checked.ok) return checked;
  const exchange = state.exchangeTrigger(parsed.args.trigger_id);
  if (!exchange.ok) return { ok: false, outcome: refuse(exchange.error) };
  return { ok: true, userId: exchange.trigger.userId, definition: checked.definition };
}

const open: MethodHandler = (raw, state) => {
  const triggered = triggeredModal(state, raw);
  if (!triggered.ok) return triggered.outcome;
  const view = state.openModal(triggered.userId, triggered.definition);
  return succeed({ view: wireView(state, view) });
};

const push: MethodHandler = (raw, state) => {
  const triggered = triggeredModal(state, raw);
  if (!triggered.ok) return triggered.outcome;
  const { userId, definition } = triggered;
  const stack = state.openViews(userId);
  if (stack.length === 0) return refuse('not_found');
  if (stack.length >= maxModalStack) return refuse('push_limit_reached');
  const view = state.pushModal(userId, definition);
  if (view === undefined) return refuse('not_found');
  return succeed({ view: wireView(state, view) });
};

const update: MethodHandler = (raw, state) => {
  const parsed = parseArguments(updateArguments, raw);
  if (!parsed.ok) return parsed.outcome;
  const { args } = parsed;
  if (args.view_id === undefined && args.external_id === undefined) {
    return refuse('invalid_arguments', [
      '[ERROR] missing required field: view_id or external_id [json-pointer:/]',
    ]);
  }
  const existing =
    args.view_id !== undefined ? state.view(args.view_id) : state.viewByExternalId(args.external_id ?? '');
  if (existing === undefined) return refuse('not_found');
  if (args.hash !== undefined && args.hash !== '' && args.hash !== existing.hash)
    return refuse('hash_conflict');
  const checked = checkModal(state, args.view, existing);
  if (!checked.ok) return checked.outcome;
  const view = state.updateView(existing.id, checked.definition);
  if (view === undefined) return refuse('not_found');
  return succeed({ view: wireView(state, view) });
};

const publish: MethodHandler = (raw, state) => {
  const parsed = parseArguments(publishArguments, raw);
  if (!parsed.ok) return parsed.outcome;
  const { args } = parsed;
  const person = args.user_id === undefined ? undefined : state.user(args.user_id);
  if (person === undefined || person.isBot) return refuse('user_not_found');
  const current = state.homeView(person.id);
  if (args.hash !== undefined && args.hash !== '' && current !== undefined && args.hash !== current.hash) {
    return refuse('hash_conflict');
  }
  const checked = checkView(args.view, 'home');
  if (!checked.ok) return refuse(checked.error, checked.messages);
  const view = state.publishHome(person.id, checked.view);
  return succeed({ view: wireView(state, view) });
};

export const viewMethods: Record<string, MethodHandler> = {
  'views.open': open,
  'views.push': push,
  'views.update': update,
  'views.publish': publish,
};
