import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { reachableByOtherUsers } from './reachable-by-other-users.ts';

const modeOf = async (dir: string) => (await stat(dir)).mode & 0o777;

describe('reachableByOtherUsers', () => {
  let root = '';
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('adds only the search bit, only where it is missing, up the whole chain', async () => {
    root = await mkdtemp(path.join(tmpdir(), 'billops-perm-')); // 0700
    const inner = path.join(root, 'private', 'data');
    await mkdir(inner, { recursive: true, mode: 0o750 });

    const changed = await reachableByOtherUsers([inner]);

    expect(changed).toEqual([root, path.join(root, 'private'), inner]);
    expect(await modeOf(root)).toBe(0o701);
    expect(await modeOf(inner)).toBe(0o751);
    expect(await reachableByOtherUsers([inner])).toEqual([]);
  });
});
