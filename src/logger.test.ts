import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, describeDatabaseUrl } from './logger.ts';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, logger: createLogger({ level: 'info', format: 'json' }, stream) };
}

describe('logger', () => {
  it('redacts tokens, secrets and passwords wherever they sit in a logged object', () => {
    const { lines, logger } = capture();
    logger.info(
      {
        token: 'xoxb-top-level',
        slack: { botToken: 'xoxb-nested', signingSecret: 'sign-me' },
        request: { headers: { authorization: 'Bearer abc.def' } },
        erp: { tenant: { refreshToken: 'refresh-me', password: 'hunter2' } },
        customer: 'Zoë Ltd',
      },
      'hello',
    );
    const output = lines.join('');
    for (const secret of [
      'xoxb-top-level',
      'xoxb-nested',
      'sign-me',
      'Bearer abc.def',
      'refresh-me',
      'hunter2',
    ]) {
      expect(output).not.toContain(secret);
    }
    expect(output).toContain('Zoë Ltd');
    expect(JSON.parse(output)).toMatchObject({ slack: { botToken: '[redacted]' }, msg: 'hello' });
  });

  it('describes a database URL without its password', () => {
    expect(describeDatabaseUrl('postgres://billing:s3cret@db.internal:6543/billops')).toBe(
      'db.internal:6543/billops',
    );
  });
});
