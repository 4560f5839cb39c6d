import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startMailOutbox, type MailOutbox } from './mail-outbox.ts';

// The local outbox is a real SMTP server: these tests talk to it with nodemailer, as billops does.

function transportTo(outbox: MailOutbox) {
  return nodemailer.createTransport({ host: '127.0.0.1', port: outbox.port, secure: false, logger: false });
}

const message = (subject: string) => ({
  from: 'billing@seller.example',
  to: ['ap@customer.example'],
  cc: ['cfo@customer.example'],
  bcc: ['archive@seller.example'],
  subject,
  text: 'Hello',
});

describe('startMailOutbox', () => {
  let outbox: MailOutbox;
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'billops-outbox-'));
    outbox = await startMailOutbox({ dataDir, maxMessages: 3 });
  });
  afterEach(async () => {
    await outbox.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('listens on 127.0.0.1 only, at the URL it gives', () => {
    expect(outbox.smtpUrl).toBe(`smtp://127.0.0.1:${outbox.port}`);
    expect(outbox.port).toBeGreaterThan(0);
  });

  it('keeps each message with its envelope, including Bcc recipients the headers do not show', async () => {
    const heard: string[] = [];
    outbox.onMessage((stored) => heard.push(stored.id));
    const info = await transportTo(outbox).sendMail(message('Invoice INV-1'));

    expect(info.response).toMatch(/^250 /);
    const [stored] = outbox.messages();
    expect(stored?.envelope).toEqual({
      from: 'billing@seller.example',
      to: ['ap@customer.example', 'cfo@customer.example', 'archive@seller.example'],
    });
    expect(heard).toEqual([stored?.id]);
    expect(outbox.message(stored?.id ?? '')).toBe(stored);
    const parsed = await simpleParser(stored?.raw ?? Buffer.alloc(0));
    expect(parsed.subject).toBe('Invoice INV-1');
    expect(parsed.headers.has('bcc')).toBe(false);
  });

  it('writes an .eml file per message under <dataDir>/outbox, envelope on top', async () => {
    await transportTo(outbox).sendMail(message('Invoice INV-2'));

    const files = await readdir(path.join(dataDir, 'outbox'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/\.eml$/);
    const eml = await readFile(path.join(dataDir, 'outbox', files[0] ?? ''));
    expect(eml.toString()).toMatch(
      /^Return-Path: <billing@seller\.example>\r\nDelivered-To: ap@customer\.example\r\n/,
    );
    const parsed = await simpleParser(eml);
    expect(parsed.subject).toBe('Invoice INV-2');
  });

  it('keeps only the newest messages in memory', async () => {
    const transport = transportTo(outbox);
    for (const n of [1, 2, 3, 4]) await transport.sendMail(message(`Invoice INV-${n}`));

    const subjects = await Promise.all(
      outbox.messages().map(async (stored) => (await simpleParser(stored.raw)).subject),
    );
    expect(subjects).toEqual(['Invoice INV-2', 'Invoice INV-3', 'Invoice INV-4']);
    expect(await readdir(path.join(dataDir, 'outbox'))).toHaveLength(4);
  });

  it('refuses every recipient of the next message at RCPT TO, then accepts again', async () => {
    outbox.failNext({ stage: 'rcpt', responseCode: 451, message: 'Try again later' });
    const transport = transportTo(outbox);

    await expect(transport.sendMail(message('first'))).rejects.toMatchObject({ responseCode: 451 });
    await transport.sendMail(message('second'));
    expect(outbox.messages()).toHaveLength(1);
  });

  it('accepts the next message on the same connection after refusing one at RCPT TO', async () => {
    outbox.failNext({ stage: 'rcpt', responseCode: 550, message: 'No such user' });
    const pooled = nodemailer.createTransport({
      host: '127.0.0.1',
      port: outbox.port,
      pool: true,
      logger: false,
    });

    await expect(pooled.sendMail(message('first'))).rejects.toMatchObject({ responseCode: 550 });
    await pooled.sendMail(message('second'));
    pooled.close();
    expect(outbox.messages()).toHaveLength(1);
  });

  it('refuses the next messages after DATA as many times as asked', async () => {
    outbox.failNext({ stage: 'data', responseCode: 550, message: 'Rejected' }, 2);
    const transport = transportTo(outbox);

    await expect(transport.sendMail(message('1'))).rejects.toMatchObject({ responseCode: 550 });
    await expect(transport.sendMail(message('2'))).rejects.toMatchObject({ responseCode: 550 });
    await transport.sendMail(message('3'));
    expect(outbox.messages()).toHaveLength(1);
  });

  it('cuts the connection after reading a message, keeping it unless told not to', async () => {
    outbox.dropNextAfterData();
    outbox.dropNextAfterData({ keep: false });
    const transport = transportTo(outbox);

    await expect(transport.sendMail(message('kept'))).rejects.toMatchObject({ code: 'ECONNECTION' });
    await expect(transport.sendMail(message('lost'))).rejects.toMatchObject({ code: 'ECONNECTION' });
    const subjects = await Promise.all(
      outbox.messages().map(async (stored) => (await simpleParser(stored.raw)).subject),
    );
    expect(subjects).toEqual(['kept']);
  });

  it('forgets injected failures when cleared', async () => {
    outbox.failNext({ stage: 'data', responseCode: 550, message: 'Rejected' });
    outbox.dropNextAfterData();
    outbox.clearFailures();

    await transportTo(outbox).sendMail(message('fine'));
    expect(outbox.messages()).toHaveLength(1);
  });

  it('stops promptly while a pooled client keeps its connection open', async () => {
    const pooled = nodemailer.createTransport({
      host: '127.0.0.1',
      port: outbox.port,
      pool: true,
      logger: false,
    });
    await pooled.sendMail(message('pooled'));

    const started = Date.now();
    await outbox.stop();
    expect(Date.now() - started).toBeLessThan(900);
    pooled.close();
    outbox = await startMailOutbox();
  });
});
