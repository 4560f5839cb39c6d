import { PassThrough, pipeline, type Readable } from 'node:stream';
import nodemailer, { type NodemailerError, type SendMailOptions } from 'nodemailer';
import type { Mailer, OutgoingMail, SendOutcome } from '../ports/mailer.ts';
import { headerText, parseMailbox, InvalidEmailError, type Mailbox } from './mail-address.ts';

// The SMTP adapter of the Mailer port (src/ports/mailer.ts): it never throws for a failed send.

export interface SmtpMailerOptions {
  connectionTimeoutMs?: number;
  greetingTimeoutMs?: number;
  /** Longest silence on an open connection, including the wait for the reply to the message. */
  socketTimeoutMs?: number;
  maxConnections?: number;
}

/**
 * A pooled nodemailer transport for `smtp://user:pass@host:587` or `smtps://…:465`. `?requireTLS=true|false`
 * overrides the default, which requires STARTTLS whenever credentials go to a host other than this machine.
 */
export function createSmtpMailer(smtpUrl: string, options: SmtpMailerOptions = {}): Mailer {
  const server = parseSmtpUrl(smtpUrl);
  const transporter = nodemailer.createTransport({
    host: server.host,
    port: server.port,
    secure: server.secure,
    requireTLS: server.requireTLS,
    auth: server.auth,
    pool: true,
    maxConnections: options.maxConnections ?? 5,
    // NOTE: with the default (5) the pool quietly re-sends a message on a new connection when a reused
    // one closes under it; 0 hands every failure to us, so the ledger sees and decides every attempt.
    maxRequeues: 0,
    connectionTimeout: options.connectionTimeoutMs ?? 30_000,
    greetingTimeout: options.greetingTimeoutMs ?? 30_000,
    // NOTE: RFC 5321 §4.5.3.2 lets a server take up to 10 minutes to answer the end of the message;
    // giving up sooner turns a slow server into an `uncertain` send (safe, but a person has to look).
    socketTimeout: options.socketTimeoutMs ?? 5 * 60_000,
    disableFileAccess: true,
    disableUrlAccess: true,
    logger: false,
  });
  transporter.use('stream', (mail, done) => {
    const probe = (mail.data as ProbedMailOptions)[PROBE_KEY];
    if (probe instanceof BodyProbe) {
      mail.message.processFunc((input) => probe.watch(input));
    }
    done();
  });

  const inFlight = new Set<Promise<SendOutcome>>();
  const send = async (message: OutgoingMail): Promise<SendOutcome> => {
    let data: ProbedMailOptions;
    try {
      data = { ...mailOptions(message), [PROBE_KEY]: new BodyProbe() };
    } catch (error) {
      if (error instanceof InvalidEmailError) {
        return { outcome: 'permanent', code: 'invalid_message', message: error.message };
      }
      throw error;
    }
    try {
      const info = await transporter.sendMail(data);
      return {
        outcome: 'sent',
        response: info.response,
        accepted: info.accepted.map(String),
        rejected: info.rejected.map(String),
      };
    } catch (error) {
      return classifySendFailure(error, { bodyHandedOver: data[PROBE_KEY].handedOver() });
    }
  };

  return {
    send(message) {
      const sending = send(message);
      inFlight.add(sending);
      const settle = () => inFlight.delete(sending);
      sending.then(settle, settle);
      return sending;
    },
    async close() {
      await Promise.allSettled(inFlight);
      transporter.close();
    },
  };
}

/**
 * Which of the three failures a nodemailer error is. `bodyHandedOver` says whether the whole message,
 * and so its final `.`, went to the server: only then can the server have taken it.
 */
export function classifySendFailure(error: unknown, progress: { bodyHandedOver: boolean }): SendOutcome {
  const err: NodemailerError = error instanceof Error ? error : new Error(String(error));
  const reply = err.response === undefined ? '' : ` The server said: "${headerText(err.response)}".`;
  const responseCode = typeof err.responseCode === 'number' ? err.responseCode : undefined;

  // NOTE: a failed login is a problem with our settings (SMTP_URL), not with this email, and nothing
  // was sent yet; so it is transient (even with its 535 reply): once the password is fixed the queued
  // emails go out on their next retry, instead of each needing a person to press Retry.
  if (err.code === 'EAUTH' || err.code === 'ENOAUTH' || err.code === 'EOAUTH2') {
    return {
      outcome: 'transient',
      code: 'auth_failed',
      message: `billops could not log in to the mail server (check SMTP_URL's user and password). Nothing was sent.${reply}`,
      ...(responseCode === undefined ? {} : { responseCode }),
    };
  }
  // NOTE: RFC 5321: a 4xx reply is a refusal for now, a 5xx a refusal for good (nodemailer's
  // `err.permanent`; we also count 503, which it does not, since a person can still press Retry).
  // Either way the server said no, so the message was not taken, even when the reply came after
  // the whole message had been sent.
  if (responseCode !== undefined && responseCode >= 400 && responseCode < 500) {
    return {
      outcome: 'transient',
      code: 'deferred',
      message: `The mail server refused the email for now, so it was not delivered.${reply}`,
      responseCode,
    };
  }
  if ((responseCode !== undefined && responseCode >= 500 && responseCode < 600) || err.permanent === true) {
    const who = err.command === 'RCPT TO' ? 'the recipient address' : 'the email';
    return {
      outcome: 'permanent',
      code: 'refused',
      message: `The mail server refused ${who}, so it was not delivered. Check the customer's email address, then retry.${reply}`,
      ...(responseCode === undefined ? {} : { responseCode }),
    };
  }
  // NOTE: nodemailer reports a dropped connection or a silent server as `command: 'CONN'` at every
  // stage, so the command cannot tell us how far the send got. What can: the message is streamed to
  // the server only after it answered DATA with 354, and the terminating `.` goes out only after the
  // last byte of the message (smtp-connection's DataStream#_flush). Until our stream has been read to
  // its end the server cannot have accepted the message; after that, without a reply, it may have.
  if (progress.bodyHandedOver) {
    return {
      outcome: 'uncertain',
      code: 'no_reply_after_data',
      message:
        'The whole email reached the mail server, but the connection ended before the server confirmed it. ' +
        'The customer may or may not have it: check with them, then mark it sent or send it again.',
    };
  }
  switch (err.code) {
    case 'ESOCKET':
    case 'EDNS':
    case 'EPROXY':
    case 'ETIMEDOUT':
    case 'ECONNECTION': {
      const reason = err.originalCode ?? err.timeoutType ?? err.code;
      const neverConnected =
        err.code === 'EDNS' ||
        err.timeoutType === 'CONNECT_TIMEOUT' ||
        err.timeoutType === 'GREETING_TIMEOUT' ||
        ['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN'].includes(
          err.originalCode ?? '',
        );
      return {
        outcome: 'transient',
        code: neverConnected ? 'cannot_connect' : 'connection_lost',
        message: neverConnected
          ? `billops could not reach the mail server (${reason}), so nothing was sent.`
          : `The connection to the mail server failed (${reason}) before the email was handed over, so it was not delivered.`,
      };
    }
    case 'ETLS':
      return {
        outcome: 'transient',
        code: 'tls_failed',
        message: `The secure connection to the mail server failed, so nothing was sent. (${err.message})`,
      };
    case 'EENVELOPE':
    case 'EMESSAGE':
    case 'EMAXRECIPIENTS':
    case 'EREQUIRETLS':
    case 'ESTREAM':
      return {
        outcome: 'permanent',
        code: 'invalid_message',
        message: `The email could not be sent as it is: ${err.message}`,
      };
    default:
      // Anything else happened before the message was handed over, so a retry cannot double it.
      return {
        outcome: 'transient',
        code: 'connection_lost',
        message: `Sending failed before the email was handed over, so it was not delivered. (${err.message})`,
      };
  }
}

// ---- nodemailer plumbing ----

const PROBE_KEY = 'billopsBodyProbe';
type ProbedMailOptions = SendMailOptions & { [PROBE_KEY]: BodyProbe };

/**
 * Watches the message stream nodemailer hands to the connection. A nodemailer 'stream' plugin is the
 * last step before the transport reads it (no DKIM or newline option is set, which would read it
 * early; if they ever are, every dropped send becomes `uncertain`: wrong only in the safe direction).
 */
class BodyProbe {
  private readonly streams: PassThrough[] = [];

  watch(input: Readable): Readable {
    const output = new PassThrough();
    pipeline(input, output, () => undefined);
    this.streams.push(output);
    return output;
  }

  /** True once the transport has read the message to its end (and so may have sent the final `.`). */
  handedOver(): boolean {
    return this.streams.some((stream) => stream.readableEnded);
  }
}

function mailOptions(message: OutgoingMail): SendMailOptions {
  if (message.to.length === 0) throw new InvalidEmailError('The email has no recipient');
  const mailbox = (value: string, field: string): Mailbox => parseMailbox(value, field);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (!/^X-[A-Za-z0-9-]+$/.test(name)) {
      throw new InvalidEmailError(`Header ${JSON.stringify(name)}: only X- headers can be added`);
    }
    headers[name] = headerText(value);
  }
  if (!/^<[^<>\s@]+@[^<>\s@]+>$/.test(message.messageId)) {
    throw new InvalidEmailError(`Message-ID ${JSON.stringify(message.messageId)} is not <id@domain>`);
  }
  return {
    from: mailbox(message.from, 'From'),
    ...(message.replyTo === undefined ? {} : { replyTo: mailbox(message.replyTo, 'Reply-To') }),
    to: message.to.map((to) => mailbox(to, 'To')),
    cc: message.cc.map((cc) => mailbox(cc, 'Cc')),
    subject: headerText(message.subject),
    text: message.text,
    ...(message.html === undefined ? {} : { html: message.html }),
    messageId: message.messageId,
    headers,
    attachments: message.attachments.map((attachment) => ({
      filename: headerText(attachment.filename),
      content: attachment.content,
      contentType: attachment.contentType,
    })),
  };
}

interface SmtpServerSettings {
  host: string;
  port: number;
  secure: boolean;
  requireTLS: boolean;
  auth: { user: string; pass: string } | undefined;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1']);

function parseSmtpUrl(smtpUrl: string): SmtpServerSettings {
  let url: URL;
  try {
    url = new URL(smtpUrl);
  } catch {
    // The URL may hold a password: never echo it.
    throw new Error('SMTP_URL is not a URL; expected smtp://user:password@host:587 or smtps://…:465');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw new Error(`SMTP_URL must start with smtp:// or smtps://, not ${url.protocol}//`);
  }
  const secure = url.protocol === 'smtps:';
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '') throw new Error('SMTP_URL has no host');
  const auth =
    url.username === ''
      ? undefined
      : { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) };
  const requireTLSParam = url.searchParams.get('requireTLS');
  if (requireTLSParam !== null && requireTLSParam !== 'true' && requireTLSParam !== 'false') {
    throw new Error('SMTP_URL: requireTLS must be true or false');
  }
  return {
    host,
    port: url.port === '' ? (secure ? 465 : 587) : Number(url.port),
    secure,
    // NOTE: without it nodemailer uses STARTTLS only when offered, so someone in the middle who
    // strips the offer gets the password and the invoices in clear text.
    requireTLS:
      requireTLSParam === null
        ? !secure && auth !== undefined && !LOOPBACK.has(host)
        : requireTLSParam === 'true',
    auth,
  };
}
