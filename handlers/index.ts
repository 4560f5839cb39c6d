import type { App } from '@slack/bolt';
import type { Deps } from '../src/ports/deps.ts';
import { registerDeliveryActions } from './actions/delivery-actions.ts';
import { registerErpActions } from './actions/erp-actions.ts';
import { registerInvoiceActions } from './actions/invoice-actions.ts';
import { registerJobActions } from './actions/job-actions.ts';
import { registerRunActions } from './actions/run-actions.ts';
import { registerInvoiceCommand } from './commands/invoice-command.ts';
import { registerAppHome } from './events/app-home.ts';
import { registerRejectSubmission } from './views/reject-submission.ts';

/** Registers every Bolt listener, by surface. */
export function registerHandlers(app: App, deps: Deps): void {
  registerInvoiceCommand(app, deps);
  registerInvoiceActions(app, deps);
  registerRunActions(app, deps);
  registerDeliveryActions(app, deps);
  registerErpActions(app, deps);
  registerJobActions(app, deps);
  registerRejectSubmission(app, deps);
  registerAppHome(app, deps);
}
