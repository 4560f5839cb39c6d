import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SLASH_COMMAND } from '../blocks/ids.ts';
import { defaultWorkspaceSeed } from '../src/local/slack-api/workspace-seed.ts';

// Least privilege: manifest.yml asks for exactly the bot scopes billops' own Slack calls need. The
// calls are read from the product code (not the local stand-ins, not tests); each method's scope is
// the one Slack's method reference names (https://docs.slack.dev/reference/methods/<method>, "Required
// scopes", bot token). A method missing from this table fails the test until its scope is looked up.

const SCOPE_OF_METHOD: Record<string, string | null> = {
  'chat.postMessage': 'chat:write',
  'chat.postEphemeral': 'chat:write',
  'chat.update': 'chat:write',
  'chat.delete': 'chat:write',
  'files.getUploadURLExternal': 'files:write',
  'files.completeUploadExternal': 'files:write',
  // @slack/web-api's helper: files.getUploadURLExternal, an upload, then files.completeUploadExternal.
  'files.uploadV2': 'files:write',
  'usergroups.users.list': 'usergroups:read',
  'users.info': 'users:read',
  'conversations.open': 'im:write',
  'conversations.info': 'channels:read',
  'auth.test': null,
  // Views need no scope: they answer a trigger_id or publish the user's own App Home.
  'views.open': null,
  'views.push': null,
  'views.update': null,
  'views.publish': null,
};

const PRODUCT_DIRS = ['src', 'handlers', 'blocks'];

async function productFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts'))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .filter((file) => !file.startsWith(path.join('src', 'local') + path.sep));
}

/** The Slack Web API methods product code calls: `client.chat.postMessage(` and `apiCall('…')`. */
async function calledMethods(): Promise<Map<string, string[]>> {
  const methods = new Map<string, string[]>();
  const files = (await Promise.all(PRODUCT_DIRS.map(productFiles))).flat();
  for (const file of files) {
    const text = await readFile(file, 'utf8');
    const found = [
      ...text.matchAll(
        /\b(?:client|web|slack|webClient)\.((?:chat|files|usergroups|users|conversations|views|reactions|pins|team|auth)(?:\.[a-zA-Z0-9]+)+)\(/g,
      ),
      ...text.matchAll(/\.apiCall\(\s*'([a-z]+(?:\.[a-zA-Z]+)+)'/g),
    ];
    for (const match of found) {
      const method = match[1] ?? '';
      methods.set(method, [...(methods.get(method) ?? []), file]);
    }
  }
  return methods;
}

describe('manifest.yml scopes', () => {
  it('are exactly the scopes of the Slack methods the code calls, plus commands for /invoice', async () => {
    const manifest = parse(await readFile('manifest.yml', 'utf8')) as {
      oauth_config: { scopes: { bot: string[] } };
      features: { slash_commands?: unknown[] };
    };
    const methods = await calledMethods();
    expect([...methods.keys()].filter((method) => !(method in SCOPE_OF_METHOD))).toEqual([]);
    const needed = new Set(
      [...methods.keys()]
        .map((method) => SCOPE_OF_METHOD[method])
        .filter((scope) => typeof scope === 'string'),
    );
    if ((manifest.features.slash_commands ?? []).length > 0) needed.add('commands');
    expect(methods.has('chat.postMessage')).toBe(true);
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...needed].sort());
  });

  it('declares the slash commands the local Slack sends the app, and no other', async () => {
    const manifest = parse(await readFile('manifest.yml', 'utf8')) as {
      features: { slash_commands?: { command: string }[] };
    };
    const declared = (manifest.features.slash_commands ?? []).map((entry) => entry.command);

    expect(declared).toEqual([SLASH_COMMAND]);
    expect(defaultWorkspaceSeed.commands).toEqual(declared);
  });
});
