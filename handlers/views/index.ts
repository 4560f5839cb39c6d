import type { App } from '@slack/bolt';
import { REJECT_MODAL } from '../../blocks/ids.ts';
import type { Deps } from '../../src/ports/deps.ts';
import { rejectSubmission } from './reject-submission.ts';

/** Binds every modal's callback_id to its submit listener. */
export function registerViews(app: App, deps: Deps): void {
  app.view(REJECT_MODAL, rejectSubmission(deps));
}
