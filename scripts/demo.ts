import { seedDemoData } from '../src/demo/seed-demo-data.ts';
import { openCliContext, runCli } from './cli-context.ts';

// npm run demo: demo customers, subscriptions and last month's usage, so /invoice run has work at once.
await runCli('npm run demo', async () => {
  const context = await openCliContext();
  try {
    const demo = await seedDemoData(context);
    process.stdout.write(
      demo.created
        ? `Demo data added: ${String(demo.customers)} customers in GBP and EUR, ${String(demo.usageEvents)} usage events in ${demo.periodLabel}.\n` +
            `Now type /invoice run in the billing channel (http://localhost:${process.env.PORT ?? '3000'}) to draft ${demo.periodLabel}'s invoices.\n`
        : `The demo data is already there (${String(demo.customers)} customers); nothing changed.\n`,
    );
  } finally {
    await context.close();
  }
});
