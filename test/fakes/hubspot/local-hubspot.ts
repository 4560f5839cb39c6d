import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { bearerToken } from '../../../src/local/oauth/oauth-http.ts';
import { answerCrmRequest, isCrmObjectType } from './crm-endpoints.ts';
import {
  CrmRecords,
  type CrmObjectType,
  type CrmRecord,
  type DealSeed,
  type SeededDeal,
} from './crm-records.ts';
import { errorAnswer, injectedFailure, invalidAuthentication, notFound, type HubSpotAnswer } from './wire.ts';

// A local HubSpot: an HTTP server on 127.0.0.1 speaking the CRM v3 wire format at HubSpot's paths
// (/crm/v3/objects/…), checking the private app token, and failing on request like the real one.

export const LOCAL_HUBSPOT_ACCESS_TOKEN = 'pat-local-8c1f2a4e-6b7d-4e0f-9a3c-5d2e1b0f7a69';
export const LOCAL_HUBSPOT_PORTAL_ID = 24_681_357;

const BODY_LIMIT_BYTES = 1024 * 1024;

export interface LocalHubSpotOptions {
  /** The private app token the API accepts (default LOCAL_HUBSPOT_ACCESS_TOKEN). */
  accessToken?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** The clock for record dates and batch timings. */
  now?: () => Date;
}

export interface FailNextOptions {
  /**
   * An HTTP status to answer with, in HubSpot's error format (429 with its rate-limit body), or
   * 'connection_reset' (cut the connection) or 'hang' (never answer until stop()).
   */
  status: number | 'connection_reset' | 'hang';
  /** How many matching requests fail (default 1). */
  times?: number;
  /** Only requests for this object type ('deals', 'line_items', 'contacts', 'companies'). */
  resource?: CrmObjectType;
  /** Sent as Retry-After on an injected 429. */
  retryAfterSeconds?: number;
}

export interface LocalHubSpotCall {
  at: Date;
  method: string;
  /** Path and query as sent. */
  path: string;
  /** The CRM object type addressed, when there is one. */
  resource: CrmObjectType | undefined;
  authorized: boolean;
  /** The status answered; 0 for a connection cut or left hanging. */
  status: number;
  injected: FailNextOptions['status'] | undefined;
}

interface PlannedFailure {
  options: FailNextOptions;
  remaining: number;
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > BODY_LIMIT_BYTES) throw new RangeError('request body too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

function send(response: ServerResponse, answer: HubSpotAnswer): void {
  if (answer.body === undefined) {
    response.writeHead(answer.status, { 'content-length': '0', ...answer.headers });
    response.end();
    return;
  }
  const text = JSON.stringify(answer.body);
  response.writeHead(answer.status, {
    'content-type': 'application/json;charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    ...answer.headers,
  });
  response.end(text);
}

/** A running local HubSpot portal; see startLocalHubSpot. */
export class LocalHubSpot {
  /** http://127.0.0.1:PORT: the client's apiUrl. */
  readonly url: string;
  readonly portalId = LOCAL_HUBSPOT_PORTAL_ID;
  private token: string;
  private readonly records = new CrmRecords();
  private readonly failures: PlannedFailure[] = [];
  private readonly log: LocalHubSpotCall[] = [];
  private readonly now: () => Date;
  private readonly server: Server;

  private constructor(server: Server, url: string, token: string, now: () => Date) {
    this.server = server;
    this.url = url;
    this.token = token;
    this.now = now;
  }

  /** Starts listening on 127.0.0.1; `port` 0 picks a free one. */
  static async start(options: LocalHubSpotOptions = {}): Promise<LocalHubSpot> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const { port } = server.address() as AddressInfo;
    const hubspot = new LocalHubSpot(
      server,
      `http://127.0.0.1:${port}`,
      options.accessToken ?? LOCAL_HUBSPOT_ACCESS_TOKEN,
      options.now ?? (() => new Date()),
    );
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      hubspot.handle(request, response).catch((error: unknown) => {
        if (response.headersSent) {
          response.end();
          return;
        }
        const message = error instanceof Error ? error.message : String(error);
        send(response, errorAnswer(error instanceof RangeError ? 413 : 500, 'INTERNAL_ERROR', message));
      });
    });
    return hubspot;
  }

  get accessToken(): string {
    return this.token;
  }

  /** Rotates the token: calls with the old one get 401 from now on. */
  setAccessToken(token: string): void {
    this.token = token;
  }

  /** Seeds a deal with its line items, company and contact, all associated; returns their ids. */
  addDeal(seed: DealSeed): SeededDeal {
    return this.records.addDeal(seed, this.now());
  }

  /** Deletes a record (and its associations, unless `leaveAssociations`: a deletion racing a read). */
  deleteRecord(type: CrmObjectType, id: string, options: { leaveAssociations?: boolean } = {}): boolean {
    return this.records.remove(type, id, options);
  }

  /** A copy of a record as stored, every property included. */
  record(type: CrmObjectType, id: string): CrmRecord | undefined {
    const record = this.records.objects[type].get(id);
    return record === undefined ? undefined : structuredClone(record);
  }

  /** Makes the next `times` (default 1) matching authorised requests fail. */
  failNext(options: FailNextOptions): void {
    this.failures.push({ options, remaining: options.times ?? 1 });
  }

  clearFailures(): void {
    this.failures.length = 0;
  }

  /** Every request received, oldest first. */
  calls(): LocalHubSpotCall[] {
    return this.log.map((call) => ({ ...call }));
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => {
      this.server.close((error) => {
        if (error === undefined) resolve();
        else reject(error);
      });
    });
  }

  private takeFailure(resource: CrmObjectType | undefined): FailNextOptions | undefined {
    const index = this.failures.findIndex(
      ({ options }) => options.resource === undefined || options.resource === resource,
    );
    const planned = this.failures[index];
    if (planned === undefined) return undefined;
    planned.remaining -= 1;
    if (planned.remaining <= 0) this.failures.splice(index, 1);
    return planned.options;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://local');
    const method = (request.method ?? 'GET').toUpperCase();
    const segments = url.pathname
      .split('/')
      .filter((segment) => segment !== '')
      .map(decodeURIComponent);
    const body = await readBody(request);
    const at = this.now();
    const crm = segments[0] === 'crm' && segments[1] === 'v3' && segments[2] === 'objects';
    const objectType = segments[3];
    const resource = crm && isCrmObjectType(objectType) ? objectType : undefined;
    const authorized = bearerToken(request.headers.authorization) === this.token;
    const call: LocalHubSpotCall = {
      at,
      method,
      path: `${url.pathname}${url.search}`,
      resource,
      authorized,
      status: 0,
      injected: undefined,
    };
    this.log.push(call);
    const answer = (reply: HubSpotAnswer): void => {
      call.status = reply.status;
      send(response, reply);
    };

    if (!authorized) {
      answer(invalidAuthentication());
      return;
    }
    const failure = this.takeFailure(resource);
    call.injected = failure?.status;
    if (failure?.status === 'connection_reset') {
      request.socket.destroy();
      return;
    }
    // NOTE: a hanging request is cut by stop() (closeAllConnections), or by the client's timeout.
    if (failure?.status === 'hang') return;
    if (failure !== undefined) {
      answer(injectedFailure(failure.status, failure.retryAfterSeconds));
      return;
    }
    const reply = crm
      ? answerCrmRequest(this.records, {
          method,
          segments: segments.slice(3),
          query: url.searchParams,
          body,
          now: at,
        })
      : undefined;
    answer(reply ?? notFound());
  }
}

/** Starts a local HubSpot portal with no records; seed them with addDeal(). */
export function startLocalHubSpot(options: LocalHubSpotOptions = {}): Promise<LocalHubSpot> {
  return LocalHubSpot.start(options);
}
