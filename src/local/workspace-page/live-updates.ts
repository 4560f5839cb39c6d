import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { CustomRoute } from '@slack/bolt';
import type { Logger } from '../../logger.ts';
import type { MailOutbox } from '../mail-outbox/index.ts';
import type { LocalSlack } from '../slack-api/local-slack.ts';
import type { WorkspaceChange } from '../slack-api/workspace-state.ts';
import type { LocalXero } from '../xero/index.ts';
import { erpFingerprint } from './erp-listing.ts';
import { pageRoute } from './page-http.ts';

// Server-Sent Events at /local/events: "something changed in slack / outbox / erp", so the page
// fetches it again. The local Slack and the outbox say when they change; the ERP sandbox has no hook,
// so it is polled, and only while a page is open.

export type LiveTopic = 'slack' | 'outbox' | 'erp';

const TICK_MS = 250;
const ERP_POLL_TICKS = 4;
const HEARTBEAT_TICKS = 60;
/** Changes closer together than this go out as one event. */
const COALESCE_MS = 60;
/** Kinds of change no person can see. */
const UNSEEN: ReadonlySet<WorkspaceChange['kind']> = new Set(['api_called', 'trigger_issued']);

interface Client {
  request: IncomingMessage;
  response: ServerResponse;
}

export interface LiveSources {
  slack: LocalSlack;
  outbox: MailOutbox | undefined;
  erp: LocalXero | undefined;
}

export class LiveUpdates {
  private readonly sources: LiveSources;
  private readonly clients = new Set<Client>();
  private readonly pending = new Set<LiveTopic>();
  private unsubscribe: (() => void)[] = [];
  private ticker: NodeJS.Timeout | undefined;
  private flushTimer: NodeJS.Timeout | undefined;
  private ticks = 0;
  private erpSeen = '';

  constructor(sources: LiveSources) {
    this.sources = sources;
  }

  route(logger: Logger): CustomRoute {
    return pageRoute(
      '/local/events',
      'GET',
      (request, response) => {
        this.connect(request, response);
      },
      logger,
    );
  }

  private connect(request: IncomingMessage, response: ServerResponse): void {
    // NOTE: `connection: close` lets the socket go as soon as the stream ends, so a stopping server
    // is not kept waiting for an idle keep-alive connection.
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'close',
      'x-accel-buffering': 'no',
    });
    response.write('retry: 1000\n\nevent: ready\ndata: {}\n\n');
    const client = { request, response };
    this.clients.add(client);
    if (this.clients.size === 1) this.start();
    request.once('close', () => {
      this.clients.delete(client);
      if (this.clients.size === 0) this.stop();
    });
  }

  private start(): void {
    this.unsubscribe = [
      this.sources.slack.onChange((change) => {
        if (!UNSEEN.has(change.kind)) this.notify('slack');
      }),
    ];
    const { outbox, erp } = this.sources;
    if (outbox !== undefined) {
      this.unsubscribe.push(
        outbox.onMessage(() => {
          this.notify('outbox');
        }),
      );
    }
    if (erp !== undefined) this.erpSeen = erpFingerprint(erp);
    this.ticker = setInterval(() => {
      this.tick();
    }, TICK_MS);
    this.ticker.unref();
  }

  private stop(): void {
    for (const unsubscribe of this.unsubscribe) unsubscribe();
    this.unsubscribe = [];
    clearInterval(this.ticker);
    clearTimeout(this.flushTimer);
    this.ticker = undefined;
    this.flushTimer = undefined;
    this.pending.clear();
  }

  private tick(): void {
    this.ticks += 1;
    // NOTE: an open stream would hold server.close() forever; streams end as soon as their server stops listening.
    for (const client of this.clients) {
      const server = (client.request.socket as Socket & { server?: Server }).server;
      if (server?.listening === false) client.response.end();
    }
    const { erp } = this.sources;
    if (erp !== undefined && this.ticks % ERP_POLL_TICKS === 0) {
      const seen = erpFingerprint(erp);
      if (seen !== this.erpSeen) {
        this.erpSeen = seen;
        this.notify('erp');
      }
    }
    if (this.ticks % HEARTBEAT_TICKS === 0) this.broadcast(': heartbeat\n\n');
  }

  private notify(topic: LiveTopic): void {
    this.pending.add(topic);
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = undefined;
      const topics = [...this.pending];
      this.pending.clear();
      this.broadcast(`event: change\ndata: ${JSON.stringify({ topics })}\n\n`);
    }, COALESCE_MS);
  }

  private broadcast(frame: string): void {
    for (const client of this.clients) client.response.write(frame);
  }
}
