import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';

// The local workspace's mail server: an SMTP server on 127.0.0.1 that accepts every message and keeps
// it here (memory, and .eml files when given a data directory). Nothing is relayed: no message ever
// leaves the machine. Tests use it as the real SMTP server and inject the failures a real one has.

export interface OutboxMessage {
  id: string;
  receivedAt: Date;
  /** The SMTP envelope: who the server was told to deliver to (includes Cc and Bcc). */
  envelope: { from: string; to: string[] };
  /** The message exactly as the client sent it (headers and body, no envelope). */
  raw: Buffer;
}

/** A refusal the server gives instead of accepting: at RCPT TO (every recipient of one message) or after DATA. */
export interface OutboxFailure {
  stage: 'rcpt' | 'data';
  responseCode: 451 | 550;
  message: string;
}

export interface MailOutboxOptions {
  /** When given, each message is also written to `<dataDir>/outbox/<time>_<id>.eml`. */
  dataDir?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** How many messages are kept in memory; the oldest go first. Files are kept. */
  maxMessages?: number;
}

export interface MailOutbox {
  /** `smtp://127.0.0.1:<port>`, for SMTP_URL. */
  readonly smtpUrl: string;
  readonly port: number;
  /** Oldest first. */
  messages(): readonly OutboxMessage[];
  message(id: string): OutboxMessage | undefined;
  /** Called for each message once it is stored; returns a function that stops listening. */
  onMessage(listener: (message: OutboxMessage) => void): () => void;
  /** Refuses the next `times` messages with this reply instead of accepting them. */
  failNext(failure: OutboxFailure, times?: number): void;
  /**
   * The next `times` messages are read to the end, then the connection is cut before the server
   * replies: the client cannot know whether they were taken. `keep` (the default) stores them, as a
   * server that delivered and then lost the connection would.
   */
  dropNextAfterData(options?: { times?: number; keep?: boolean }): void;
  clearFailures(): void;
  stop(): Promise<void>;
}

const MAX_MESSAGE_BYTES = 25 * 1024 * 1024;

type DataPlan = { kind: 'fail'; failure: OutboxFailure } | { kind: 'drop'; keep: boolean };

/** Starts the local outbox; resolves once it listens. */
export async function startMailOutbox(options: MailOutboxOptions = {}): Promise<MailOutbox> {
  const maxMessages = options.maxMessages ?? 500;
  const outboxDir = options.dataDir === undefined ? undefined : path.join(options.dataDir, 'outbox');
  if (outboxDir !== undefined) await mkdir(outboxDir, { recursive: true });

  const stored: OutboxMessage[] = [];
  const listeners = new Set<(message: OutboxMessage) => void>();
  const rcptFailures: OutboxFailure[] = [];
  const dataPlans: DataPlan[] = [];
  // One RCPT-stage failure covers every recipient of a message, so it is taken once per transaction.
  const rcptDecisions = new WeakMap<SMTPServerSession, OutboxFailure | undefined>();

  const store = async (session: SMTPServerSession, raw: Buffer): Promise<OutboxMessage> => {
    const message: OutboxMessage = {
      id: randomUUID(),
      receivedAt: new Date(),
      envelope: {
        from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
        to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
      },
      raw,
    };
    if (outboxDir !== undefined) {
      await mkdir(outboxDir, { recursive: true });
      await writeFile(path.join(outboxDir, emlFileName(message)), emlFile(message));
    }
    stored.push(message);
    if (stored.length > maxMessages) stored.splice(0, stored.length - maxMessages);
    for (const listener of listeners) {
      try {
        listener(message);
      } catch {
        // A listener's fault is its own; the message is stored either way.
      }
    }
    return message;
  };

  const server: SMTPServer = new SMTPServer({
    name: 'billops-outbox.localhost',
    banner: 'billops local outbox: nothing leaves this machine',
    secure: false,
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    allowInsecureAuth: true,
    logger: false,
    size: MAX_MESSAGE_BYTES,
    closeTimeout: 1000,
    onAuth(auth, _session, callback) {
      callback(null, { user: auth.username ?? 'local' });
    },
    onMailFrom(_address, session, callback) {
      // A transaction starts here (its number alone does not tell: a refused one is reused after RSET).
      rcptDecisions.set(session, rcptFailures.shift());
      callback();
    },
    onRcptTo(_address, session, callback) {
      const failure = rcptDecisions.get(session);
      callback(failure === undefined ? null : smtpError(failure));
    },
    onData(stream, session, callback) {
      readAll(stream)
        .then(async (raw) => {
          if (stream.sizeExceeded) {
            callback(Object.assign(new Error('Message too big for the local outbox'), { responseCode: 552 }));
            return;
          }
          const plan = dataPlans.shift();
          if (plan?.kind === 'fail') {
            callback(smtpError(plan.failure));
            return;
          }
          if (plan?.kind === 'drop') {
            if (plan.keep) await store(session, raw);
            dropConnection(server, session);
            return;
          }
          const message = await store(session, raw);
          callback(null, `Queued as ${message.id}`);
        })
        // NOTE: a message that cannot be read or saved (disk full, outbox folder removed) is refused
        // with a temporary error, so the sender keeps it and tries again; it must never crash the app.
        .catch((error: unknown) => {
          const reason = error instanceof Error ? error.message : String(error);
          callback(
            Object.assign(new Error(`The local outbox could not save the message: ${reason}`), {
              responseCode: 451,
            }),
          );
        });
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  // NOTE: once listening, a client's socket error (a client that hangs up) is emitted here; without
  // a listener it would crash the process.
  server.on('error', () => undefined);
  const { port } = server.server.address() as AddressInfo;

  return {
    smtpUrl: `smtp://127.0.0.1:${port}`,
    port,
    messages: () => [...stored],
    message: (id) => stored.find((message) => message.id === id),
    onMessage(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    failNext(failure, times = 1) {
      for (let i = 0; i < times; i += 1) {
        if (failure.stage === 'rcpt') rcptFailures.push(failure);
        else dataPlans.push({ kind: 'fail', failure });
      }
    },
    dropNextAfterData({ times = 1, keep = true } = {}) {
      for (let i = 0; i < times; i += 1) dataPlans.push({ kind: 'drop', keep });
    },
    clearFailures() {
      rcptFailures.length = 0;
      dataPlans.length = 0;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        // Idle pooled client connections would otherwise hold the close for closeTimeout.
        for (const connection of server.connections) connection.close();
      }),
  };
}

function smtpError(failure: OutboxFailure): Error {
  return Object.assign(new Error(failure.message), { responseCode: failure.responseCode });
}

async function readAll(stream: SMTPServerDataStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Cuts the client's connection without a reply, as a server or network failing at that moment would. */
function dropConnection(server: SMTPServer, session: SMTPServerSession): void {
  for (const connection of server.connections) {
    if (connection.session === session) connection._socket.destroy();
  }
}

function emlFileName(message: OutboxMessage): string {
  return `${message.receivedAt.toISOString().replace(/[:.]/g, '-')}_${message.id}.eml`;
}

/** The raw message with the envelope on top, as a local delivery agent writes it (Return-Path, Delivered-To). */
function emlFile(message: OutboxMessage): Buffer {
  const trace = [
    `Return-Path: <${message.envelope.from}>`,
    ...message.envelope.to.map((to) => `Delivered-To: ${to}`),
  ].join('\r\n');
  return Buffer.concat([Buffer.from(`${trace}\r\n`), message.raw]);
}
