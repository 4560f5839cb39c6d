import type { Deps } from '../ports/deps.ts';
import { postPaymentNews } from '../slack/post-payment-news.ts';
import { parseJobPayload } from '../queue/job-payloads.ts';

/** Posts a recorded payment in its invoice's thread ("Paid in full" when it settles the invoice), or its match. */
export function postPaymentNewsTask(deps: Deps) {
  return async (payload: unknown): Promise<void> => {
    const { paymentId, matched } = parseJobPayload('post_payment_news', payload);
    await postPaymentNews(deps, paymentId, matched === true ? 'match' : 'payment');
  };
}
