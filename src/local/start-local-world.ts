// The one door from the product into the local stand-ins (ARCHITECTURE §3): what local mode starts
// when no Slack token, SMTP server or ERP is configured. Only src/start-app.ts imports this file.

export { connectLocalSandbox, sandboxEndpoints } from './connect-local-sandbox.ts';
export { startMailOutbox, type MailOutbox } from './mail-outbox/index.ts';
export { startLocalSlack, type LocalSlack } from './slack-api/local-slack.ts';
export { workspacePageRoutes } from './workspace-page/workspace-page-routes.ts';
export { startLocalXero, type LocalXero } from './xero/index.ts';
