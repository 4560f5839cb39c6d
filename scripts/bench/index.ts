import { benchDrafting } from './drafting.ts';
import { benchErp } from './erp.ts';
import { benchPdf } from './pdf.ts';
import { benchSlackAck } from './slack-ack.ts';

// npm run bench -- <name>: prints figures and ratios; nothing here asserts a time.
const BENCHMARKS: Record<string, () => Promise<void>> = {
  drafting: benchDrafting,
  'slack-ack': benchSlackAck,
  pdf: benchPdf,
  erp: benchErp,
};

const names = process.argv.slice(2);
const unknown = names.filter((name) => !(name in BENCHMARKS));
if (unknown.length > 0) {
  process.stderr.write(
    `Unknown benchmark: ${unknown.join(', ')}. Available: ${Object.keys(BENCHMARKS).join(', ')}\n`,
  );
  process.exit(2);
}
for (const name of names.length === 0 ? Object.keys(BENCHMARKS) : names) {
  const bench = BENCHMARKS[name];
  if (bench) await bench();
}
