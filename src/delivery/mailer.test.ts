import { randomBytes } from 'node:crypto';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startMailOutbox, type MailOutbox } from '../local/mail-outbox/mail-outbox.ts';
import { classifySendFailure, createSmtpMailer } from './mailer.ts';
import type { Mailer, OutgoingMail } from '../ports/mailer.ts';

// Every classification is checked against a real SMTP server: the local outbox with injected
// failures, or a server built here when the failure needs more than the outbox offers.

const mail = (fields: Partial<OutgoingMail> = {}): OutgoingMail => ({
  from: '"Seller Billing" <billing@seller.example>',
  to: ['ap@customer.example'],
  cc: [],
  subject: 'Invoice INV-2026-00001',
  text: 'Hello',
  messageId: '<invoice-1@seller.example>',
  attachments: [],
  ...fields,
});

async function listen(server: SMTPServer | Server): Promise<number> {
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve();
    });
  });
  const address = (server instanceof SMTPServer ? server.server : server).address() as AddressInfo;
  return address.port;
}

async function close(server: SMTPServer | Server): Promise<void> {
  await new Promise<void>((resolve) => {
    server.close(() => {
      resolve();
    });
    if (server instanceof SMTPServer) for (const connection of server.connections) connection.close();
  });
}

/** An SMTP server with some handlers replaced, for failures the outbox does not simulate. */
async function smtpServer(
  handlers: Partial<SMTPServerOptions>,
): Promise<{ server: SMTPServer; port: number }> {
  const server: SMTPServer = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    logger: false,
    closeTimeout: 200,
    ...handlers,
  });
  server.on('error', () => undefined);
  return { server, port: await listen(server) };
}

function cutConnectionOf(server: SMTPServer, session: unknown): void {
  for (const connection of server.connections) {
    if (connection.session === session) connection._socket.destroy();
  }
}

describe('createSmtpMailer', () => {
  let outbox: MailOutbox;
  let mailer: Mailer;
  beforeEach(async () => {
    outbox = await startMailOutbox();
    mailer = createSmtpMailer(outbox.smtpUrl);
  });
  afterEach(async () => {
    await mailer.close();
    await outbox.stop();
  });

  it('reports a message the server accepted as sent, with its reply', async () => {
    const outcome = await mailer.send(mail({ cc: ['cfo@customer.example'] }));

    expect(outcome).toEqual({
      outcome: 'sent',
      response: expect.stringMatching(/^250 /) as unknown,
      accepted: ['ap@customer.example', 'cfo@customer.example'],
      rejected: [],
    });
    const [received] = outbox.messages();
    const parsed = await simpleParser(received?.raw ?? Buffer.alloc(0));
    expect(parsed.messageId).toBe('<invoice-1@seller.example>');
    expect(parsed.from?.value).toEqual([{ name: 'Seller Billing', address: 'billing@seller.example' }]);
  });

  it('keeps one connection for many messages, one message at a time on it', async () => {
    const outcomes = await Promise.all(
      [1, 2, 3].map((n) => mailer.send(mail({ messageId: `<invoice-${n}@seller.example>` }))),
    );
    expect(outcomes.map((outcome) => outcome.outcome)).toEqual(['sent', 'sent', 'sent']);
    expect(outbox.messages()).toHaveLength(3);
  });

  it('treats a 451 at RCPT TO as transient: nothing was delivered', async () => {
    outbox.failNext({ stage: 'rcpt', responseCode: 451, message: 'Greylisted, try again later' });

    const outcome = await mailer.send(mail());

    expect(outcome).toMatchObject({ outcome: 'transient', code: 'deferred', responseCode: 451 });
    expect(outcome.outcome === 'sent' ? '' : outcome.message).toContain('Greylisted');
    expect(outbox.messages()).toHaveLength(0);
  });

  it('treats a 451 after the message as transient', async () => {
    outbox.failNext({ stage: 'data', responseCode: 451, message: 'Local problem' });
    expect(await mailer.send(mail())).toMatchObject({ outcome: 'transient', responseCode: 451 });
  });

  it('treats a 550 after the message as permanent', async () => {
    outbox.failNext({ stage: 'data', responseCode: 550, message: 'Message rejected as spam' });

    const outcome = await mailer.send(mail());

    expect(outcome).toMatchObject({ outcome: 'permanent', code: 'refused', responseCode: 550 });
    expect(outbox.messages()).toHaveLength(0);
  });

  it('treats a 550 at RCPT TO as permanent, naming the recipient address as the problem', async () => {
    outbox.failNext({ stage: 'rcpt', responseCode: 550, message: 'No such user' });

    const outcome = await mailer.send(mail());

    expect(outcome).toMatchObject({ outcome: 'permanent', code: 'refused', responseCode: 550 });
    expect(outcome.outcome === 'sent' ? '' : outcome.message).toContain('recipient address');
  });

  it('is uncertain when the connection drops after the server read the whole message', async () => {
    outbox.dropNextAfterData();

    const outcome = await mailer.send(mail());

    expect(outcome).toMatchObject({ outcome: 'uncertain', code: 'no_reply_after_data' });
    // The server did take it: a blind retry would have been a second copy. Nor does the pool resend it.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(outbox.messages()).toHaveLength(1);
  });

  it('goes on sending on a fresh connection after one was cut', async () => {
    outbox.dropNextAfterData();
    await mailer.send(mail());

    expect(await mailer.send(mail({ messageId: '<invoice-2@seller.example>' }))).toMatchObject({
      outcome: 'sent',
    });
  });

  it('refuses a malformed address without talking to the server', async () => {
    const outcome = await mailer.send(mail({ to: ['ap@customer.example\r\nBcc: evil@example.com'] }));

    expect(outcome).toMatchObject({ outcome: 'permanent', code: 'invalid_message' });
    expect(outbox.messages()).toHaveLength(0);
  });

  it('refuses headers other than X- headers', async () => {
    const outcome = await mailer.send(mail({ headers: { Bcc: 'evil@example.com' } }));
    expect(outcome).toMatchObject({ outcome: 'permanent', code: 'invalid_message' });
  });
});

describe('createSmtpMailer against failing servers', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const onCleanup = (stop: () => Promise<void>): void => {
    cleanups.push(stop);
  };

  it('is transient when nothing listens on the port', async () => {
    const { server, port } = await smtpServer({});
    await close(server);
    const mailer = createSmtpMailer(`smtp://127.0.0.1:${port}`);
    onCleanup(() => mailer.close());

    const outcome = await mailer.send(mail());

    expect(outcome).toMatchObject({ outcome: 'transient', code: 'cannot_connect' });
    expect(outcome.outcome === 'sent' ? '' : outcome.message).toContain('ECONNREFUSED');
  });

  it('is transient when the server never sends its greeting', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    const port = await listen(silent);
    onCleanup(async () => {
      for (const socket of sockets) socket.destroy();
      await close(silent);
    });
    const mailer = createSmtpMailer(`smtp://127.0.0.1:${port}`, { greetingTimeoutMs: 200 });
    onCleanup(() => mailer.close());

    expect(await mailer.send(mail())).toMatchObject({ outcome: 'transient', code: 'cannot_connect' });
  });

  it('is transient when the login is refused, even with a 5xx reply: the settings are wrong, not the email', async () => {
    let delivered = 0;
    const { server, port } = await smtpServer({
      allowInsecureAuth: true,
      authOptional: false,
      onAuth(_auth, _session, callback) {
        callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
      },
      onData(stream, _session, callback) {
        delivered += 1;
        stream.resume();
        stream.on('end', () => {
          callback();
        });
      },
    });
    onCleanup(() => close(server));
    const mailer = createSmtpMailer(`smtp://billops:wrong@127.0.0.1:${port}`);
    onCleanup(() => mailer.close());

    const outcome = await mailer.send(mail());

    expect(outcome).toMatchObject({ outcome: 'transient', code: 'auth_failed', responseCode: 535 });
    expect(delivered).toBe(0);
  });

  it('is uncertain when the server never answers the end of the message', async () => {
    const { server, port } = await smtpServer({
      onData(stream) {
        stream.resume(); // reads it all, never replies
      },
    });
    onCleanup(() => close(server));
    const mailer = createSmtpMailer(`smtp://127.0.0.1:${port}`, { socketTimeoutMs: 300 });
    onCleanup(() => mailer.close());

    expect(await mailer.send(mail())).toMatchObject({ outcome: 'uncertain', code: 'no_reply_after_data' });
  });

  it('is transient when the connection drops while the message is still being sent', async () => {
    const { server, port } = await smtpServer({
      onData(stream, session) {
        stream.once('data', () => {
          cutConnectionOf(server, session);
        });
      },
    });
    onCleanup(() => close(server));
    const mailer = createSmtpMailer(`smtp://127.0.0.1:${port}`);
    onCleanup(() => mailer.close());
    // Large enough that the client is still writing when the server hangs up: the final "." never went.
    const big = {
      filename: 'big.bin',
      content: randomBytes(16 << 20),
      contentType: 'application/octet-stream',
    };

    const outcome = await mailer.send(mail({ attachments: [big] }));

    expect(outcome).toMatchObject({ outcome: 'transient', code: 'connection_lost' });
  });

  it('leaves a message whose reused connection dropped to the ledger, instead of resending it itself', async () => {
    // NOTE: with nodemailer's default maxRequeues the pool would quietly send it on a new connection.
    const { server, port } = await smtpServer({
      onMailFrom(_address, session, callback) {
        if (session.transaction === 2) cutConnectionOf(server, session);
        else callback();
      },
      onData(stream, _session, callback) {
        stream.resume();
        stream.on('end', () => {
          callback(null, 'Queued');
        });
      },
    });
    onCleanup(() => close(server));
    const mailer = createSmtpMailer(`smtp://127.0.0.1:${port}`);
    onCleanup(() => mailer.close());

    expect(await mailer.send(mail())).toMatchObject({ outcome: 'sent' });
    expect(await mailer.send(mail())).toMatchObject({ outcome: 'transient', code: 'connection_lost' });
  });

  it('reports a recipient the server refused when it accepted the others', async () => {
    const { server, port } = await smtpServer({
      onRcptTo(address, _session, callback) {
        callback(
          address.address === 'old@customer.example'
            ? Object.assign(new Error('No such user'), { responseCode: 550 })
            : null,
        );
      },
      onData(stream, _session, callback) {
        stream.resume();
        stream.on('end', () => {
          callback(null, 'Queued');
        });
      },
    });
    onCleanup(() => close(server));
    const mailer = createSmtpMailer(`smtp://127.0.0.1:${port}`);
    onCleanup(() => mailer.close());

    const outcome = await mailer.send(mail({ cc: ['old@customer.example'] }));

    expect(outcome).toEqual({
      outcome: 'sent',
      response: '250 Queued',
      accepted: ['ap@customer.example'],
      rejected: ['old@customer.example'],
    });
  });
});

describe('classifySendFailure', () => {
  it.each([
    ['a 421 closing reply after the message', { code: 'ECONNECTION', responseCode: 421 }, true, 'transient'],
    ['a 503 bad sequence', { code: 'EENVELOPE', responseCode: 503 }, false, 'permanent'],
    ['a permanent flag without a code', { code: 'EENVELOPE', permanent: true }, false, 'permanent'],
    ['a socket timeout after the whole message', { code: 'ETIMEDOUT', command: 'CONN' }, true, 'uncertain'],
    ['a socket timeout before the message', { code: 'ETIMEDOUT', command: 'CONN' }, false, 'transient'],
    ['a TLS failure', { code: 'ETLS', command: 'CONN' }, false, 'transient'],
    ['a DNS failure', { code: 'EDNS', command: 'CONN' }, false, 'transient'],
    ['an unknown error after the whole message', { code: 'EWHATEVER' }, true, 'uncertain'],
    ['a message over the size limit', { code: 'EMESSAGE', command: 'MAIL FROM' }, false, 'permanent'],
  ] as const)('classifies %s', (_name, fields, bodyHandedOver, expected) => {
    const error = Object.assign(new Error('failure'), fields);
    expect(classifySendFailure(error, { bodyHandedOver }).outcome).toBe(expected);
  });
});

describe('createSmtpMailer settings', () => {
  it.each(['not a url', 'http://mail.example.com', 'smtp://mail.example.com?requireTLS=maybe'])(
    'refuses SMTP_URL %s without echoing a password',
    (url) => {
      expect(() => createSmtpMailer(url)).toThrow(/SMTP_URL/);
    },
  );

  it('does not put the password into its error', () => {
    expect(() => createSmtpMailer('smtp://user:s3cret@')).toThrow(/^((?!s3cret).)*$/);
  });
});
