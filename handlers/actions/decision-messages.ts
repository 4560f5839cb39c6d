import type { ApproveInvoiceResult } from '../../src/approval/approve-invoice.ts';
import type { InvoiceState } from '../../src/approval/decision-subject.ts';
import type { RejectInvoiceResult } from '../../src/approval/reject-invoice.ts';

// What the person who clicked is told, by result code (STYLE rule 5). Plain text: shown ephemerally.

const time = (at: Date) => `${at.toISOString().slice(11, 16)} UTC`;

function whoDecided(state: InvoiceState): string {
  const last = state.lastDecision;
  if (last === undefined) return `It is now ${state.status.replace('_', ' ')}.`;
  const who = last.userId === null ? 'the approval policy' : `<@${last.userId}>`;
  const what =
    { approved: 'approved', rejected: 'rejected', auto_approved: 'approved' }[last.decision] ?? last.decision;
  return `${who} ${what} it at ${time(last.at)}${last.reason === null ? '' : `: ${last.reason}`}.`;
}

export function approveMessage(result: ApproveInvoiceResult): string | undefined {
  switch (result.code) {
    case 'approved':
    case 'approval_recorded':
      return undefined; // the card itself shows it
    case 'not_found':
      return 'That invoice no longer exists.';
    case 'not_an_approver':
      return 'Only billing approvers can approve invoices. Ask one of them, or an admin to add you in billing.yml.';
    case 'self_approval':
      return 'You started this billing run, so someone else has to approve its invoices.';
    case 'already_approved_by_you':
      return 'You already approved this invoice; a second, different approver has to approve it too.';
    case 'blocked':
      return `This invoice cannot be approved until it is fixed: ${result.exceptions.join('; ')}`;
    case 'already_decided':
      return `Too late: this invoice was already decided. ${whoDecided(result.state)}`;
    case 'stale_card':
      return `This invoice changed since the card you clicked was posted, so nothing was approved. ${whoDecided(result.state)} Look at the updated card before deciding.`;
  }
}

export function rejectMessage(result: RejectInvoiceResult): string | undefined {
  switch (result.code) {
    case 'rejected':
      return undefined;
    case 'not_found':
      return 'That invoice no longer exists.';
    case 'not_an_approver':
      return 'Only billing approvers can reject invoices.';
    case 'reason_required':
      return 'A reason is needed to reject an invoice.';
    case 'already_decided':
      return `Too late: this invoice was already decided. ${whoDecided(result.state)}`;
    case 'stale_card':
      return `This invoice changed since the card was posted, so it was not rejected. ${whoDecided(result.state)}`;
  }
}
