import type { CustomRoute } from '@slack/bolt';
import type { Deps } from '../ports/deps.ts';
import { ERP_CALLBACK_PATH, PROVIDER_NAMES } from '../erp/connect/connect-erp.ts';
import { finishErpConnection } from '../erp/connect/finish-erp-connection.ts';
import type { Logger } from '../logger.ts';

/** GET /erp/callback: where Xero or Intuit send the browser back after consent. */
export function erpCallbackRoute(deps: Deps, logger: Logger): CustomRoute {
  return {
    path: ERP_CALLBACK_PATH,
    method: ['GET'],
    handler: (req, res) => {
      const gateway = deps.erp;
      const query = new URL(req.url ?? '/', 'http://local').searchParams;
      const answer = (status: number, title: string, body: string) => {
        res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        res.end(page(title, body));
      };
      if (gateway === undefined) {
        answer(404, 'No ERP in use', 'billops posts to no ERP (ERP_PROVIDER=none).');
        return;
      }
      finishErpConnection(deps, gateway, query).then(
        (outcome) => {
          const name = PROVIDER_NAMES[gateway.provider];
          if (outcome.ok) {
            const organisation = outcome.tenantName === null ? '' : `: ${outcome.tenantName}`;
            answer(
              200,
              `${name} connected`,
              `billops now posts invoices to ${name}${organisation}. You can close this tab.`,
            );
          } else answer(400, `${name} was not connected`, outcome.message);
        },
        (error: unknown) => {
          logger.error({ err: error }, 'ERP connection callback failed');
          answer(500, 'Something went wrong', 'The connection was not saved. Try /invoice connect again.');
        },
      );
    },
  };
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · billops</title></head><body style="font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;line-height:1.5"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(body)}</p></body></html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
