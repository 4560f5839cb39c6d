// The Mailer port. Its adapter never throws for a failed send: it says whether the message was
// delivered, was certainly not (transient: retry; permanent: don't) or might have been (uncertain: a
// person decides). That last answer is what keeps an invoice from going out twice.

export interface MailAttachment {
  filename: string;
  content: Buffer;
  contentType: string;
}

export interface OutgoingMail {
  /** `billing@seller.example` or `"Seller Billing" <billing@seller.example>`. */
  from: string;
  replyTo?: string;
  to: string[];
  cc: string[];
  subject: string;
  text: string;
  html?: string;
  /** `<…@…>`; the same on every attempt at the same email. */
  messageId: string;
  headers?: Record<string, string>;
  attachments: MailAttachment[];
}

export type SendFailureCode =
  | 'deferred'
  | 'refused'
  | 'auth_failed'
  | 'cannot_connect'
  | 'tls_failed'
  | 'connection_lost'
  | 'no_reply_after_data'
  | 'invalid_message'
  | 'unexpected_error';

export type SendOutcome =
  | { outcome: 'sent'; response: string; accepted: string[]; rejected: string[] }
  | {
      outcome: 'transient' | 'permanent' | 'uncertain';
      code: SendFailureCode;
      /** For a finance person: what happened, in words they can act on. */
      message: string;
      responseCode?: number;
    };

export interface Mailer {
  send(message: OutgoingMail): Promise<SendOutcome>;
  /** Waits for sends in progress, then closes the connections. */
  close(): Promise<void>;
}
