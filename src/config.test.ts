import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, ENV_VARIABLES, loadConfig } from './config.ts';

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('runs on defaults with no environment at all: embedded Postgres, local Slack, port 3000', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.database).toEqual({ url: undefined, dataDir: '.data', embeddedPort: 54329 });
    expect(config.slack.mode).toBe('local');
    expect(config.slack.signingSecret).toMatch(/^[0-9a-f]{32}$/);
  });

  it('uses a real Slack workspace when a bot token and signing secret are set', () => {
    const config = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-123-456-abc',
      SLACK_SIGNING_SECRET: '8f742231b10e8888abcd99yyyzzz85a5',
      SLACK_API_URL: 'https://slack-gov.com/api',
    });
    expect(config.slack).toEqual({
      mode: 'remote',
      botToken: 'xoxb-123-456-abc',
      signingSecret: '8f742231b10e8888abcd99yyyzzz85a5',
      apiUrl: 'https://slack-gov.com/api/',
    });
  });

  it('names each bad variable, what was expected and what it got', () => {
    const problems = problemsOf({ PORT: 'eighty', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://db/x' });
    expect(problems).toEqual([
      'PORT: expected the HTTP port: a whole number from 0 to 65535 (got "eighty")',
      'LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent (got "loud")',
      'DATABASE_URL: expected a postgres:// or postgresql:// URL',
    ]);
  });

  it('refuses a port out of range', () => {
    expect(problemsOf({ PORT: '70000' })).toEqual([
      'PORT: expected the HTTP port: a whole number from 0 to 65535 (got "70000")',
    ]);
  });

  it('refuses port 0 for the embedded Postgres, which cannot pick its own, while the HTTP server can', () => {
    expect(problemsOf({ EMBEDDED_POSTGRES_PORT: '0', PORT: '0' })).toEqual([
      'EMBEDDED_POSTGRES_PORT: expected the embedded Postgres port: a whole number from 1 to 65535 (got "0")',
    ]);
  });

  it('never repeats a secret value in its message', () => {
    const problems = problemsOf({ SLACK_BOT_TOKEN: 'xoxp-user-token-leak', SLACK_SIGNING_SECRET: 'short' });
    expect(problems.join('\n')).not.toMatch(/xoxp-user-token-leak|short/);
    expect(problems[0]).toMatch(/^SLACK_BOT_TOKEN: expected a bot token that starts with xoxb-/);
  });

  it('asks for the signing secret when only the token is set', () => {
    expect(problemsOf({ SLACK_BOT_TOKEN: 'xoxb-1-2-3' })).toEqual([
      'SLACK_SIGNING_SECRET: required when SLACK_BOT_TOKEN is set (Slack app settings → Basic Information → Signing Secret)',
    ]);
  });

  it('keys the audit chain with AUDIT_KEY, else with a key derived from ENCRYPTION_KEY, else not at all', () => {
    const auditKey = 'ab'.repeat(32);
    const encryptionKey = 'cd'.repeat(32);
    expect(loadConfig({ AUDIT_KEY: auditKey, ENCRYPTION_KEY: encryptionKey }).audit).toMatchObject({
      key: Buffer.from(auditKey, 'hex'),
      keySource: 'AUDIT_KEY',
    });
    const derived = loadConfig({ ENCRYPTION_KEY: encryptionKey }).audit;
    expect(derived.keySource).toBe('ENCRYPTION_KEY');
    expect(derived.key).toHaveLength(32);
    expect(derived.key?.equals(Buffer.from(encryptionKey, 'hex'))).toBe(false);
    expect(loadConfig({}).audit).toEqual({
      key: undefined,
      keySource: undefined,
      anchorFile: path.join('.data', 'audit-anchors.jsonl'),
    });
    expect(loadConfig({ DATA_DIR: '/var/lib/billops' }).audit.anchorFile).toBe(
      '/var/lib/billops/audit-anchors.jsonl',
    );
    expect(loadConfig({ AUDIT_ANCHOR_FILE: '/mnt/audit/a.jsonl' }).audit.anchorFile).toBe(
      '/mnt/audit/a.jsonl',
    );
  });

  it('refuses an AUDIT_KEY that is not 32 bytes, without echoing it', () => {
    expect(problemsOf({ AUDIT_KEY: 'not-a-key-at-all' })).toEqual([
      'AUDIT_KEY: expected 32 random bytes as 64 hex characters (openssl rand -hex 32)',
    ]);
  });

  it('treats empty values as unset, as .env files write them', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' }).port).toBe(3000);
  });
});

describe('.env.example', () => {
  const example = readFileSync(new URL('../.env.example', import.meta.url), 'utf8');

  it.each(ENV_VARIABLES)('documents %s with its default and an example', (name) => {
    const lines = example.split('\n');
    const at = lines.indexOf(`${name}=`);
    expect(at, `${name}= is missing from .env.example`).toBeGreaterThan(0);
    const comment = lines.slice(0, at).reverse();
    const block = comment
      .slice(
        0,
        comment.findIndex((line) => !line.startsWith('#')),
      )
      .join(' ');
    expect(block).toMatch(/Default/);
    expect(block).toMatch(/Example|e\.g\./);
  });

  it('lists no variable the app does not read', () => {
    const listed = [...example.matchAll(/^([A-Z_]+)=/gm)].map((match) => match[1]);
    expect(listed.sort()).toEqual([...ENV_VARIABLES].sort());
  });
});
