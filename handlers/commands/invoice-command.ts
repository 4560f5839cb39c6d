import type { App } from '@slack/bolt';
import {
  buildCommandError,
  buildInvoiceShowReply,
  buildRunStartedReply,
  buildRunStatusReply,
} from '../../blocks/command-replies.ts';
import { buildHelpMessage } from '../../blocks/help-message.ts';
import { buildPaymentRecordedReply } from '../../blocks/payment-news.ts';
import { buildCreditNoteReply, buildVoidedReply } from '../../blocks/correction-news.ts';
import { SLASH_COMMAND } from '../../blocks/ids.ts';
import { requestReview } from '../../src/billing-runs/request-review.ts';
import { parseBillingPeriod } from '../../src/calendar/billing-period.ts';
import { requestBillingRun } from '../../src/billing-runs/request-billing-run.ts';
import type { Deps } from '../../src/ports/deps.ts';
import { recordPaymentFromSlack } from '../../src/payments/record-payment-from-slack.ts';
import { issueCreditNote } from '../../src/invoices/issue-credit-note.ts';
import { voidInvoice } from '../../src/invoices/void-invoice.ts';
import { erpConsentReply } from '../../src/erp/connect/erp-consent-reply.ts';
import { loadRunStatus } from '../../src/slack/load-home-and-status.ts';
import { loadInvoiceShow } from '../../src/slack/load-invoice-views.ts';
import { parseInvoiceCommand, USAGE } from './parse-invoice-command.ts';

/** `/invoice …`: acks at once (replies only the person who typed it), then does the work. */
export function registerInvoiceCommand(app: App, deps: Deps): void {
  app.command(SLASH_COMMAND, async ({ command, ack, respond }) => {
    const parsed = parseInvoiceCommand(command.text);
    switch (parsed.kind) {
      case 'help':
        await ack({ response_type: 'ephemeral', ...buildHelpMessage() });
        return;
      case 'unknown':
        await ack({ response_type: 'ephemeral', ...buildHelpMessage(parsed.input) });
        return;
      case 'invalid':
        await ack(buildCommandError(parsed.message, parsed.usage));
        return;
      case 'run': {
        const period = parsed.period === '' ? undefined : parseBillingPeriod(parsed.period);
        if (period !== undefined && 'error' in period) {
          await ack(buildCommandError(period.error, USAGE.run));
          return;
        }
        await ack(
          buildRunStartedReply({ periodLabel: period?.label ?? 'last month', dryRun: parsed.dryRun }),
        );
        await requestBillingRun(deps, {
          triggerId: command.trigger_id,
          period: parsed.period,
          dryRun: parsed.dryRun,
          customers: parsed.customers,
          userId: command.user_id,
          channelId: command.channel_id,
          responseUrl: command.response_url,
        });
        return;
      }
      case 'status': {
        await ack();
        const status = await loadRunStatus(deps, parsed.runId);
        await respond(
          status === undefined
            ? buildCommandError(
                parsed.runId === undefined
                  ? 'There is no billing run yet.'
                  : `No billing run has the id ${parsed.runId}.`,
                USAGE.status,
              )
            : buildRunStatusReply(status),
        );
        return;
      }
      case 'show': {
        await ack();
        const invoice = await loadInvoiceShow(deps.db, parsed.reference);
        await respond(
          invoice === undefined
            ? buildCommandError(
                `No invoice has the number, and no customer the id, "${parsed.reference}".`,
                USAGE.show,
              )
            : buildInvoiceShowReply(invoice),
        );
        return;
      }
      case 'review': {
        await ack();
        const result = await requestReview(deps, {
          customerExternalId: parsed.customer,
          userId: command.user_id,
        });
        await respond(
          result.code === 'resubmitted'
            ? { response_type: 'ephemeral', text: result.message }
            : buildCommandError(result.message, USAGE.review),
        );
        return;
      }
      case 'connect': {
        await ack();
        await respond({
          response_type: 'ephemeral',
          ...(await erpConsentReply(deps, command.user_id, parsed.provider)),
        });
        return;
      }
      case 'paid': {
        await ack();
        const result = await recordPaymentFromSlack(deps, {
          userId: command.user_id,
          number: parsed.number,
          amount: parsed.amount,
          paidOn: parsed.paidOn,
        });
        await respond(
          result.code === 'recorded'
            ? buildPaymentRecordedReply(result)
            : buildCommandError(result.message, USAGE.paid),
        );
        return;
      }
      case 'void': {
        await ack();
        const result = await voidInvoice(deps, {
          number: parsed.number,
          reason: parsed.reason,
          userId: command.user_id,
        });
        await respond(
          result.code === 'voided' ? buildVoidedReply(result) : buildCommandError(result.message, USAGE.void),
        );
        return;
      }
      case 'credit': {
        await ack();
        const result = await issueCreditNote(deps, {
          number: parsed.number,
          amount: parsed.amount,
          reason: parsed.reason,
          userId: command.user_id,
        });
        await respond(
          result.code === 'issued'
            ? buildCreditNoteReply({
                ...result,
                reason: parsed.reason,
                createdBy: command.user_id,
              })
            : buildCommandError(result.message, USAGE.credit),
        );
        return;
      }
    }
  });
}
