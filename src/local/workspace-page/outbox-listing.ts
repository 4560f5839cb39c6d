import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import type { MailOutbox, OutboxMessage } from '../mail-outbox/index.ts';
import { PageRequestError } from './page-http.ts';

// The local outbox as the page lists it: each email's headers, text and attachments, newest first.

export interface EmailAttachmentView {
  index: number;
  fileName: string;
  contentType: string;
  size: number;
  url: string;
}

export interface EmailView {
  id: string;
  receivedAt: string;
  envelope: { from: string; to: string[] };
  from: string;
  to: string;
  cc: string;
  replyTo: string;
  subject: string;
  date: string | null;
  messageId: string;
  text: string;
  attachments: EmailAttachmentView[];
}

function addresses(value: AddressObject | AddressObject[] | undefined): string {
  if (value === undefined) return '';
  return (Array.isArray(value) ? value : [value]).map((entry) => entry.text).join(', ');
}

/** Parses each message once (they never change) and keeps the parse beside it. */
export class OutboxListing {
  private readonly outbox: MailOutbox;
  private readonly parsed = new WeakMap<OutboxMessage, Promise<ParsedMail>>();

  constructor(outbox: MailOutbox) {
    this.outbox = outbox;
  }

  async emails(): Promise<EmailView[]> {
    const messages = [...this.outbox.messages()].reverse();
    return Promise.all(messages.map(async (message) => this.emailView(message, await this.parse(message))));
  }

  async attachment(
    id: string,
    index: number,
  ): Promise<{ bytes: Buffer; fileName: string; contentType: string }> {
    const message = this.outbox.message(id);
    if (message === undefined) throw new PageRequestError(404, `No email ${id} in the outbox`);
    const attachment = (await this.parse(message)).attachments[index];
    if (attachment === undefined) throw new PageRequestError(404, `Email ${id} has no attachment ${index}`);
    return {
      bytes: attachment.content,
      fileName: attachment.filename ?? `attachment-${index + 1}`,
      contentType: attachment.contentType,
    };
  }

  private parse(message: OutboxMessage): Promise<ParsedMail> {
    let parsed = this.parsed.get(message);
    if (parsed === undefined) {
      parsed = simpleParser(message.raw);
      this.parsed.set(message, parsed);
    }
    return parsed;
  }

  private emailView(message: OutboxMessage, mail: ParsedMail): EmailView {
    return {
      id: message.id,
      receivedAt: message.receivedAt.toISOString(),
      envelope: message.envelope,
      from: addresses(mail.from),
      to: addresses(mail.to),
      cc: addresses(mail.cc),
      replyTo: addresses(mail.replyTo),
      subject: mail.subject ?? '',
      date: mail.date?.toISOString() ?? null,
      messageId: mail.messageId ?? '',
      text: mail.text ?? '',
      attachments: mail.attachments.map((attachment, index) => ({
        index,
        fileName: attachment.filename ?? `attachment-${index + 1}`,
        contentType: attachment.contentType,
        size: attachment.size,
        url: `/local/outbox/${encodeURIComponent(message.id)}/attachments/${index}`,
      })),
    };
  }
}
