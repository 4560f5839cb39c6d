import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import { auditChainKeyFromEncryptionKey } from './secrets/audit-chain-key.ts';
import { encryptionKeyFrom } from './secrets/token-crypto.ts';

/** NOTE: the only module that reads process.env; everything else receives a `Config`. */

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** A TCP port; `lowest` 0 lets the system pick a free one (the HTTP server can, Postgres cannot). */
const port = (what: string, lowest: 0 | 1 = 0) => {
  const expected = `expected ${what}: a whole number from ${lowest} to 65535`;
  return z.coerce
    .number({ error: expected })
    .int({ error: expected })
    .min(lowest, { error: expected })
    .max(65535, { error: expected });
};

const postgresUrl = z
  .url({ protocol: /^postgres(ql)?$/, error: 'expected a postgres:// or postgresql:// URL' })
  .optional();

const envSchema = z.object({
  PORT: port('the HTTP port').default(3000),
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `expected one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  LOG_FORMAT: z.enum(['auto', 'pretty', 'json'], { error: 'expected auto, pretty or json' }).default('auto'),
  DATABASE_URL: postgresUrl,
  DATA_DIR: z.string().min(1, { error: 'expected a directory path' }).default('.data'),
  EMBEDDED_POSTGRES_PORT: port('the embedded Postgres port', 1).default(54329),
  JOB_CONCURRENCY: z.coerce
    .number({ error: 'expected a whole number from 1 to 50' })
    .int({ error: 'expected a whole number from 1 to 50' })
    .min(1, { error: 'expected a whole number from 1 to 50' })
    .max(50, { error: 'expected a whole number from 1 to 50' })
    .default(5),
  // How often each job pool says it is alive; one silent for 6 beats is dead and its jobs are released.
  JOB_HEARTBEAT_SECONDS: z.coerce
    .number({ error: 'expected a whole number of seconds from 1 to 60' })
    .int({ error: 'expected a whole number of seconds from 1 to 60' })
    .min(1, { error: 'expected a whole number of seconds from 1 to 60' })
    .max(60, { error: 'expected a whole number of seconds from 1 to 60' })
    .default(10),
  SHUTDOWN_TIMEOUT_SECONDS: z.coerce
    .number({ error: 'expected a number of seconds from 1 to 600' })
    .min(1, { error: 'expected a number of seconds from 1 to 600' })
    .max(600, { error: 'expected a number of seconds from 1 to 600' })
    .default(30),
  SLACK_BOT_TOKEN: z
    .string()
    .regex(/^xoxb-[A-Za-z0-9-]+$/, { error: 'expected a bot token that starts with xoxb-' })
    .optional(),
  SLACK_SIGNING_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9]{16,}$/, {
      error: "expected the app's signing secret (letters and digits, from Basic Information)",
    })
    .optional(),
  BILLING_CONFIG: z.string().min(1, { error: 'expected a path to a YAML file' }).optional(),
  USAGE_API_TOKEN: z
    .string()
    .min(32, { error: 'expected a random token of at least 32 characters (e.g. openssl rand -hex 32)' })
    .optional(),
  SMTP_URL: z
    .url({
      protocol: /^smtps?$/,
      error: 'expected smtp://user:password@host:587 or smtps://user:password@host:465',
    })
    .optional(),
  ERP_PROVIDER: z
    .enum(['none', 'local', 'xero', 'quickbooks'], {
      error: 'expected none, local (the built-in Xero sandbox), xero or quickbooks',
    })
    .optional(),
  ERP_CLIENT_ID: z
    .string()
    .min(1, { error: "expected the OAuth client id from the ERP's developer portal" })
    .optional(),
  ERP_CLIENT_SECRET: z
    .string()
    .min(1, { error: "expected the OAuth client secret from the ERP's developer portal" })
    .optional(),
  ENCRYPTION_KEY: z
    .string()
    .refine(isEncryptionKey, {
      error: 'expected 32 random bytes as 64 hex characters (openssl rand -hex 32)',
    })
    .optional(),
  AUDIT_KEY: z
    .string()
    .refine(isEncryptionKey, {
      error: 'expected 32 random bytes as 64 hex characters (openssl rand -hex 32)',
    })
    .optional(),
  AUDIT_ANCHOR_FILE: z.string().min(1, { error: 'expected a file path' }).optional(),
  PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: 'expected the http(s) address people reach this app at' })
    .optional(),
  ERP_API_URL: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).optional(),
  ERP_AUTHORIZE_URL: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).optional(),
  ERP_TOKEN_URL: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).optional(),
  ERP_CONNECTIONS_URL: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).optional(),
  USAGE_WEBHOOK_SECRET: z
    .string()
    .min(32, {
      error:
        'expected a random secret of at least 32 characters (openssl rand -hex 32); commas separate secrets during rotation',
    })
    .optional(),
  SHOPIFY_WEBHOOK_SECRET: z
    .string()
    .min(1, { error: "expected the app's client secret from the Shopify Partner Dashboard" })
    .optional(),
  HUBSPOT_CLIENT_SECRET: z
    .string()
    .min(1, { error: "expected the HubSpot app's client secret (it signs webhooks)" })
    .optional(),
  HUBSPOT_ACCESS_TOKEN: z
    .string()
    .min(1, { error: 'expected a HubSpot private app access token (pat-…)' })
    .optional(),
  HUBSPOT_API_URL: z
    .url({ protocol: /^https?$/, error: 'expected an http(s) URL' })
    .default('https://api.hubapi.com'),
  XERO_WEBHOOK_KEY: z
    .string()
    .min(1, { error: "expected the webhook key from the Xero app's Webhooks page" })
    .optional(),
  SLACK_API_URL: z
    .url({ protocol: /^https?$/, error: 'expected an http(s) URL such as https://slack.com/api/' })
    .default('https://slack.com/api/'),
  // Local mode only: the built-in Slack's posting pace per channel, which billops keeps to there.
  LOCAL_SLACK_POSTS_PER_SECOND: z.coerce
    .number({ error: 'expected a number of posts a second from 1 to 1000' })
    .min(1, { error: 'expected a number of posts a second from 1 to 1000' })
    .max(1000, { error: 'expected a number of posts a second from 1 to 1000' })
    .default(1),
});

/** Every variable the app reads; .env.example documents each (a test holds them together). */
export const ENV_VARIABLES = Object.keys(envSchema.shape);

export type LogLevel = (typeof LOG_LEVELS)[number];

export type SlackConfig =
  | { mode: 'remote'; botToken: string; signingSecret: string; apiUrl: string }
  /** Local mode: no token, so the app starts its own local Slack API and signs its own requests. */
  | { mode: 'local'; signingSecret: string; postsPerSecond: number };

export interface Config {
  port: number;
  log: { level: LogLevel; format: 'auto' | 'pretty' | 'json' };
  database: { url: string | undefined; dataDir: string; embeddedPort: number };
  jobs: { concurrency: number; heartbeatMs: number };
  shutdownTimeoutMs: number;
  slack: SlackConfig;
  /** billing.yml; `explicit` when BILLING_CONFIG named it, so a missing file is an error, not a fallback. */
  billingConfig: { path: string; explicit: boolean };
  /** Bearer token for POST /api/usage; the API is off without one. */
  usageApiToken: string | undefined;
  /** Where invoice emails go; unset: a local outbox inside the app catches them (nothing leaves). */
  smtpUrl: string | undefined;
  /** Where finalized invoices are posted. Default: the local Xero sandbox in local Slack mode, else none. */
  erp: ErpConfig;
  /** Where people's browsers reach this app (the ERP's OAuth redirect comes back here). */
  publicUrl: string;
  /** Signing secrets of the webhooks (each off while unset), and the HubSpot API for deal line items. */
  webhooks: {
    usageSecret: string | undefined;
    shopifySecret: string | undefined;
    hubspot: { clientSecret: string | undefined; accessToken: string | undefined; apiUrl: string };
    xeroKey: string | undefined;
  };
  audit: AuditConfig;
}

/** The audit chain's HMAC key (kept out of the database) and where its head is anchored. */
export interface AuditConfig {
  /** Unset when neither AUDIT_KEY nor ENCRYPTION_KEY is: new entries are then hashed unkeyed. */
  key: Buffer | undefined;
  keySource: 'AUDIT_KEY' | 'ENCRYPTION_KEY' | undefined;
  /** JSON lines of chain heads (seq, hash), appended at each run's end and daily. */
  anchorFile: string;
}

/** OAuth client and endpoints of a real ERP; every URL is configurable so sandboxes can be used. */
export interface ErpEndpoints {
  clientId: string;
  clientSecret: string;
  apiUrl: string;
  authorizeUrl: string;
  tokenUrl: string;
  /** Xero only: GET /connections lists the organisations a grant reaches. */
  connectionsUrl: string;
}

export type ErpConfig =
  | { provider: 'none' }
  /** The built-in Xero sandbox, connected at start over the same OAuth flow as a real Xero. */
  | { provider: 'local'; encryptionKey: Buffer | undefined }
  | { provider: 'xero' | 'quickbooks'; encryptionKey: Buffer; endpoints: ErpEndpoints };

export class ConfigError extends Error {
  readonly problems: string[];

  constructor(problems: string[]) {
    super(
      `Invalid configuration (see .env.example):\n${problems.map((problem) => `  - ${problem}`).join('\n')}`,
    );
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Reads and validates the environment; throws a ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty value in .env means "not set", as most dotenv tools treat it.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = issue.path.join('.');
        const raw = env[name];
        const shown = raw === undefined || isSecretName(name) ? '' : ` (got "${raw}")`;
        return `${name}: ${issue.message}${shown}`;
      }),
    );
  }
  const vars = parsed.data;
  return {
    port: vars.PORT,
    log: { level: vars.LOG_LEVEL, format: vars.LOG_FORMAT },
    database: { url: vars.DATABASE_URL, dataDir: vars.DATA_DIR, embeddedPort: vars.EMBEDDED_POSTGRES_PORT },
    jobs: { concurrency: vars.JOB_CONCURRENCY, heartbeatMs: vars.JOB_HEARTBEAT_SECONDS * 1000 },
    shutdownTimeoutMs: vars.SHUTDOWN_TIMEOUT_SECONDS * 1000,
    slack: slackConfig(vars),
    billingConfig: {
      path: vars.BILLING_CONFIG ?? 'billing.yml',
      explicit: vars.BILLING_CONFIG !== undefined,
    },
    usageApiToken: vars.USAGE_API_TOKEN,
    smtpUrl: vars.SMTP_URL,
    erp: erpConfig(vars),
    webhooks: {
      usageSecret: vars.USAGE_WEBHOOK_SECRET,
      shopifySecret: vars.SHOPIFY_WEBHOOK_SECRET,
      hubspot: {
        clientSecret: vars.HUBSPOT_CLIENT_SECRET,
        accessToken: vars.HUBSPOT_ACCESS_TOKEN,
        apiUrl: vars.HUBSPOT_API_URL,
      },
      xeroKey: vars.XERO_WEBHOOK_KEY,
    },
    publicUrl: (vars.PUBLIC_URL ?? `http://localhost:${vars.PORT}`).replace(/\/+$/, ''),
    audit: auditConfig(vars),
  };
}

function auditConfig(vars: z.infer<typeof envSchema>): AuditConfig {
  const anchorFile = vars.AUDIT_ANCHOR_FILE ?? path.join(vars.DATA_DIR, 'audit-anchors.jsonl');
  if (vars.AUDIT_KEY !== undefined) {
    return { key: encryptionKeyFrom(vars.AUDIT_KEY), keySource: 'AUDIT_KEY', anchorFile };
  }
  if (vars.ENCRYPTION_KEY !== undefined) {
    const key = auditChainKeyFromEncryptionKey(encryptionKeyFrom(vars.ENCRYPTION_KEY));
    return { key, keySource: 'ENCRYPTION_KEY', anchorFile };
  }
  return { key: undefined, keySource: undefined, anchorFile };
}

function slackConfig(vars: z.infer<typeof envSchema>): SlackConfig {
  if (vars.SLACK_BOT_TOKEN === undefined) {
    return {
      mode: 'local',
      signingSecret: vars.SLACK_SIGNING_SECRET ?? randomBytes(16).toString('hex'),
      postsPerSecond: vars.LOCAL_SLACK_POSTS_PER_SECOND,
    };
  }
  if (vars.SLACK_SIGNING_SECRET === undefined) {
    throw new ConfigError([
      'SLACK_SIGNING_SECRET: required when SLACK_BOT_TOKEN is set (Slack app settings → Basic Information → Signing Secret)',
    ]);
  }
  const apiUrl = vars.SLACK_API_URL.endsWith('/') ? vars.SLACK_API_URL : `${vars.SLACK_API_URL}/`;
  return { mode: 'remote', botToken: vars.SLACK_BOT_TOKEN, signingSecret: vars.SLACK_SIGNING_SECRET, apiUrl };
}

// NOTE: Xero's and Intuit's production endpoints (FACTS §1.1, §2.8); each can be overridden.
const ERP_DEFAULTS = {
  xero: {
    apiUrl: 'https://api.xero.com/api.xro/2.0',
    authorizeUrl: 'https://login.xero.com/identity/connect/authorize',
    tokenUrl: 'https://identity.xero.com/connect/token',
    connectionsUrl: 'https://api.xero.com/connections',
  },
  quickbooks: {
    apiUrl: 'https://quickbooks.api.intuit.com',
    authorizeUrl: 'https://appcenter.intuit.com/connect/oauth2',
    tokenUrl: 'https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer',
    connectionsUrl: '',
  },
} as const;

function erpConfig(vars: z.infer<typeof envSchema>): ErpConfig {
  const provider = vars.ERP_PROVIDER ?? (vars.SLACK_BOT_TOKEN === undefined ? 'local' : 'none');
  const encryptionKey =
    vars.ENCRYPTION_KEY === undefined ? undefined : encryptionKeyFrom(vars.ENCRYPTION_KEY);
  if (provider === 'none') return { provider };
  if (provider === 'local') return { provider, encryptionKey };
  const missing = [
    vars.ERP_CLIENT_ID === undefined ? 'ERP_CLIENT_ID' : undefined,
    vars.ERP_CLIENT_SECRET === undefined ? 'ERP_CLIENT_SECRET' : undefined,
    encryptionKey === undefined ? 'ENCRYPTION_KEY' : undefined,
  ].filter((name) => name !== undefined);
  if (
    vars.ERP_CLIENT_ID === undefined ||
    vars.ERP_CLIENT_SECRET === undefined ||
    encryptionKey === undefined
  ) {
    throw new ConfigError(
      missing.map(
        (name) =>
          `${name}: required with ERP_PROVIDER=${provider} (${name === 'ENCRYPTION_KEY' ? 'ERP tokens are stored encrypted with it: openssl rand -hex 32' : "from the app you registered in the ERP's developer portal"})`,
      ),
    );
  }
  const defaults = ERP_DEFAULTS[provider];
  return {
    provider,
    encryptionKey,
    endpoints: {
      clientId: vars.ERP_CLIENT_ID,
      clientSecret: vars.ERP_CLIENT_SECRET,
      apiUrl: vars.ERP_API_URL ?? defaults.apiUrl,
      authorizeUrl: vars.ERP_AUTHORIZE_URL ?? defaults.authorizeUrl,
      tokenUrl: vars.ERP_TOKEN_URL ?? defaults.tokenUrl,
      connectionsUrl: vars.ERP_CONNECTIONS_URL ?? defaults.connectionsUrl,
    },
  };
}

function isEncryptionKey(text: string): boolean {
  try {
    encryptionKeyFrom(text);
    return true;
  } catch {
    return false;
  }
}

function isSecretName(name: string): boolean {
  return /TOKEN|SECRET|PASSWORD|KEY|DATABASE_URL|SMTP_URL/.test(name);
}
