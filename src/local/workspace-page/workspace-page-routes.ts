import type { CustomRoute } from '@slack/bolt';
import { hasCustomers, seedDemoData } from '../../demo/seed-demo-data.ts';
import type { Deps } from '../../ports/deps.ts';
import type { MailOutbox } from '../mail-outbox/index.ts';
import type { LocalSlack } from '../slack-api/local-slack.ts';
import type { LocalXero } from '../xero/index.ts';
import { erpAttachment, erpInvoices } from './erp-listing.ts';
import { LiveUpdates } from './live-updates.ts';
import { OutboxListing } from './outbox-listing.ts';
import { pageAssetRoutes } from './page-assets.ts';
import { jsonRoute, PageRequestError, pageRoute, pathParam, queryOf, sendFile } from './page-http.ts';
import { personActionRoutes } from './person-actions.ts';
import { WorkspaceReader } from './workspace-snapshot.ts';

export interface WorkspacePageOptions {
  localSlack: LocalSlack;
  mailOutbox: MailOutbox | undefined;
  erpSandbox: LocalXero | undefined;
  deps: Pick<Deps, 'db' | 'billing' | 'clock' | 'logger'>;
}

/**
 * The local workspace page at http://localhost:PORT/ (local Slack mode only): the local Slack's
 * channels, threads, modals and Home as a person sees them, the mail outbox and the ERP sandbox.
 * Every click goes to the app as a signed Slack request through the local Slack's people.
 */
export function workspacePageRoutes(options: WorkspacePageOptions): CustomRoute[] {
  const { localSlack, mailOutbox, erpSandbox, deps } = options;
  const logger = deps.logger.child({ part: 'workspace-page' });
  const reader = new WorkspaceReader(localSlack, deps.billing.approval.approvers);
  const outbox = mailOutbox === undefined ? undefined : new OutboxListing(mailOutbox);
  const live = new LiveUpdates({ slack: localSlack, outbox: mailOutbox, erp: erpSandbox });
  return [
    ...pageAssetRoutes(logger),
    live.route(logger),
    jsonRoute(
      '/local/status',
      'GET',
      async () => ({
        hasCustomers: await hasCustomers(deps.db),
        outbox: mailOutbox !== undefined,
        erp: erpSandbox !== undefined,
      }),
      logger,
    ),
    jsonRoute(
      '/local/state',
      'GET',
      (request) => Promise.resolve(reader.snapshot(queryOf(request).get('user') ?? '')),
      logger,
    ),
    // The people the page may act as, for a page opened `?as=` someone who is not one of them.
    jsonRoute('/local/people', 'GET', () => Promise.resolve({ people: reader.people() }), logger),
    jsonRoute(
      '/local/thread',
      'GET',
      (request) => {
        const query = queryOf(request);
        return Promise.resolve(
          reader.thread(query.get('user') ?? '', query.get('channel') ?? '', query.get('ts') ?? ''),
        );
      },
      logger,
    ),
    ...personActionRoutes(localSlack, reader, logger),
    jsonRoute('/local/demo', 'POST', () => seedDemoData(deps), logger),
    pageRoute(
      '/local/files/:id',
      'GET',
      (request, response) => {
        const file = localSlack.file(pathParam(request, 'id'));
        if (file?.bytes === undefined) throw new PageRequestError(404, 'No such file in the local Slack');
        sendFile(response, file.bytes, { contentType: file.mimetype, fileName: file.name });
      },
      logger,
    ),
    jsonRoute(
      '/local/outbox',
      'GET',
      async () => ({
        available: outbox !== undefined,
        emails: outbox === undefined ? [] : await outbox.emails(),
      }),
      logger,
    ),
    pageRoute(
      '/local/outbox/:id/attachments/:index',
      'GET',
      (request, response) => {
        if (outbox === undefined) throw new PageRequestError(404, 'No local outbox: SMTP_URL is set');
        void outbox.attachment(pathParam(request, 'id'), Number(pathParam(request, 'index'))).then(
          (attachment) => {
            sendFile(response, attachment.bytes, attachment);
          },
          (error: unknown) => {
            const status = error instanceof PageRequestError ? error.status : 500;
            response
              .writeHead(status, { 'content-type': 'text/plain; charset=utf-8' })
              .end(error instanceof Error ? error.message : 'Could not read the attachment');
          },
        );
      },
      logger,
    ),
    jsonRoute(
      '/local/erp',
      'GET',
      () =>
        Promise.resolve({
          available: erpSandbox !== undefined,
          invoices: erpSandbox === undefined ? [] : erpInvoices(erpSandbox),
        }),
      logger,
    ),
    pageRoute(
      '/local/erp/attachments/:id',
      'GET',
      (request, response) => {
        if (erpSandbox === undefined)
          throw new PageRequestError(404, 'No ERP sandbox: ERP_PROVIDER is not local');
        const attachment = erpAttachment(erpSandbox, pathParam(request, 'id'));
        sendFile(response, attachment.bytes, {
          contentType: attachment.mimeType,
          fileName: attachment.fileName,
        });
      },
      logger,
    ),
  ];
}
