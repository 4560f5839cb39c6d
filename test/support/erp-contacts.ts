import type { ErpClient, ErpContactInput, ErpResult } from '../../src/ports/erp-client.ts';

/** findOrCreateContacts for one customer: its answer alone. */
export async function findOrCreateContact(
  erp: ErpClient,
  input: ErpContactInput,
): Promise<ErpResult<{ id: string; created: boolean }>> {
  const answer = (await erp.findOrCreateContacts([input])).get(input.customerKey);
  if (answer === undefined) throw new Error(`findOrCreateContacts gave no answer for ${input.customerKey}`);
  return answer;
}
