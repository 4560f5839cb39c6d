import { promises as fs } from 'node:fs';
import path from 'node:path';

const OTHERS_SEARCH = 0o001;

/**
 * Makes each directory, and every directory above it, searchable (x, never readable) by other users.
 * Returns the directories that had to change.
 */
export async function reachableByOtherUsers(directories: string[]): Promise<string[]> {
  const chain = new Set<string>();
  for (const directory of directories) {
    let current = path.resolve(directory);
    for (;;) {
      chain.add(current);
      const parent = path.dirname(current);
      if (parent === current) break;
      current = parent;
    }
  }
  const changed: string[] = [];
  for (const directory of [...chain].sort()) {
    const stat = await fs.stat(directory).catch(() => undefined);
    if (stat === undefined || (stat.mode & OTHERS_SEARCH) !== 0) continue;
    await fs.chmod(directory, stat.mode | OTHERS_SEARCH);
    changed.push(directory);
  }
  return changed;
}
