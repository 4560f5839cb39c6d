// The dependency rules of ARCHITECTURE §3, checked by `npm run lint` (dependency-cruiser 17.4: 18 needs Node 22).
// FLOORS is the map, bottom first: a room (a folder, or a root file of src/) imports only rooms listed
// before it, on its own floor or below. The order is a topological order of the folder graph, so no two
// folders can import each other, even through others (dependency-cruiser's folder scope would count the
// root files of src/, which sit on different floors, as one folder). A new folder must be placed here.

const FLOORS = [
  {
    name: 'pure vocabulary',
    rooms: ['src/money/', 'src/calendar/', 'src/pricing/', 'src/secrets/', 'src/text/', 'blocks/'],
  },
  {
    name: 'ports and plumbing',
    rooms: [
      'src/config.ts',
      'src/logger.ts',
      'src/billing-config/',
      'src/db/',
      'src/audit/',
      'src/events/',
      'src/ports/',
      'src/queue/',
    ],
  },
  {
    name: 'use cases and adapters',
    rooms: [
      'src/documents/',
      'src/hubspot/',
      'src/intake/',
      'src/approval/',
      'src/billing-runs/',
      'src/slack/',
      'src/payments/',
      'src/delivery/',
      'src/orders/',
      'src/erp/',
      'src/invoices/',
      'src/overdue/',
      'src/reminders/',
      'src/schedules/',
      // The demo seeds history (a drafted, numbered and paid invoice) through the use cases above it.
      'src/demo/',
    ],
  },
  {
    name: 'edges',
    rooms: ['src/jobs/', 'src/http/', 'src/webhooks/', 'handlers/', 'src/local/'],
  },
  {
    name: 'composition root',
    rooms: ['src/deps.ts', 'src/start-app.ts', 'src/main.ts', 'scripts/'],
  },
];

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const pattern = (rooms) => `^(${rooms.map((p) => escapeRegExp(p) + (p.endsWith('/') ? '' : '$')).join('|')})`;
const PRODUCT = '^(src|handlers|blocks|scripts|migrations)/';
const ROOMS = FLOORS.flatMap((floor) => floor.rooms.map((room) => ({ room, floor: floor.name })));

const floorRules = ROOMS.slice(0, -1).map(({ room, floor }, index) => ({
  name: `floors: ${room}`,
  comment: `${room} (${floor}) imports only the rooms listed before it in .dependency-cruiser.cjs (ARCHITECTURE §3)`,
  severity: 'error',
  from: { path: pattern([room]) },
  to: { path: pattern(ROOMS.slice(index + 1).map((later) => later.room)) },
}));

/** Vendor SDK → the only folder that may import it (tests excepted). */
const VENDOR_SDKS = {
  'xero-node': ['src/erp/xero/'],
  'node-quickbooks': ['src/erp/quickbooks/'],
  nodemailer: ['src/delivery/'],
  // NOTE: the PDF and job benches measure the bare library beside billops.
  pdfkit: ['src/documents/', 'scripts/bench/'],
  'graphile-worker': ['src/jobs/', 'scripts/bench/'],
  // Use cases post through the SlackNotifier port; handlers may name Bolt's client type (see below).
  '@slack/web-api': ['src/slack/', 'src/local/', 'handlers/'],
};

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import cycles between files',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'every-folder-on-a-floor',
      comment: 'Every product folder and root file of src/ is placed on a floor in .dependency-cruiser.cjs',
      severity: 'error',
      from: {},
      to: { path: '^(src|handlers|blocks|scripts)/', pathNot: pattern(ROOMS.map(({ room }) => room)) },
    },
    ...floorRules,
    {
      name: 'pure-folders-do-no-io',
      comment: 'money/, calendar/, pricing/ import only each other, decimal.js and cron-parser: no I/O',
      severity: 'error',
      from: { path: '^src/(money|calendar|pricing)/' },
      to: { pathNot: '^src/(money|calendar|pricing)/|node_modules/(decimal\\.js|cron-parser)/' },
    },
    {
      name: 'blocks-are-pure',
      comment: 'blocks/ build Block Kit from plain data: src/ code with I/O only as types',
      severity: 'error',
      from: { path: '^blocks/' },
      to: {
        path: '^src/',
        pathNot: '^src/(money|calendar|pricing)/',
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'blocks-use-no-npm-but-slack-types',
      severity: 'error',
      from: { path: '^blocks/' },
      to: { dependencyTypes: ['npm', 'core'], pathNot: 'node_modules/@slack/types/' },
    },
    {
      name: 'handlers-hold-no-sql',
      comment: 'handlers/ parse, call one use case, render: no SQL (kysely, pg, src/db)',
      severity: 'error',
      from: { path: '^handlers/' },
      to: { path: '^src/db/|node_modules/(kysely|pg)/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'handlers-use-no-vendor-sdk',
      severity: 'error',
      from: { path: '^handlers/' },
      to: {
        path: `node_modules/(${Object.keys(VENDOR_SDKS).map(escapeRegExp).join('|')})/`,
        dependencyTypesNot: ['type-only'],
      },
    },
    ...Object.entries(VENDOR_SDKS).map(([sdk, folders]) => ({
      name: `${sdk}-only-in-its-adapter`,
      comment: `${sdk} is imported only in ${folders.join(', ')}`,
      severity: 'error',
      from: { path: PRODUCT, pathNot: pattern(folders) },
      to: { path: `node_modules/${escapeRegExp(sdk)}/` },
    })),
    {
      name: 'local-stand-ins-only-from-the-composition-root',
      comment:
        'src/local/ is reached through src/local/start-local-world.ts, from start-app.ts (and scripts, tests)',
      severity: 'error',
      from: { path: PRODUCT, pathNot: '^src/local/|^src/start-app\\.ts$|^scripts/' },
      to: { path: '^src/local/' },
    },
    {
      name: 'start-app-enters-local-once',
      severity: 'error',
      from: { path: '^src/start-app\\.ts$' },
      to: { path: '^src/local/', pathNot: '^src/local/start-local-world\\.ts$' },
    },
    {
      name: 'migrations-import-only-kysely',
      comment: 'Migrations are frozen: they never import src/',
      severity: 'error',
      from: { path: '^migrations/' },
      to: { pathNot: 'node_modules/kysely/|^migrations/' },
    },
    {
      name: 'product-never-imports-tests',
      comment: "NOTE: benchmarks seed with the tests' factories, so they measure the rows the tests check",
      severity: 'error',
      from: { path: PRODUCT, pathNot: '^scripts/bench/' },
      to: { path: '^test/|\\.test\\.ts$' },
    },
  ],
  options: {
    // NOTE: tests may import across floors; product reaching test/ is still seen (and refused) as a leaf.
    exclude: { path: '\\.test\\.ts$|^src/local/workspace-page/assets/' },
    doNotFollow: { path: 'node_modules|^test/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
