import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLogo } from './logo-image.ts';
import { TINY_PNG } from './sample-invoice-document.ts';

// The smallest JPEG header readLogo needs: SOI, an APP0 segment, then SOF0 with height 30 and width 120.
const JPEG_HEADER = Buffer.from([
  0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x00, 0x1e, 0x00, 0x78, 0x03,
]);

describe('readLogo', () => {
  let directory = '';
  beforeAll(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'billops-logo-'));
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('reads the size of a PNG and of a JPEG', async () => {
    const png = path.join(directory, 'logo.png');
    const jpeg = path.join(directory, 'logo.jpg');
    await writeFile(png, TINY_PNG);
    await writeFile(jpeg, JPEG_HEADER);
    expect(await readLogo(png)).toMatchObject({ path: png, width: 4, height: 2 });
    expect(await readLogo(jpeg)).toMatchObject({ width: 120, height: 30 });
  });

  it('names the path of a missing logo', async () => {
    const missing = path.join(directory, 'nowhere', 'logo.png');
    await expect(readLogo(missing)).rejects.toThrow(`Invoice logo not found: ${missing}`);
  });

  it('refuses a file that is not a PNG or JPEG', async () => {
    const svg = path.join(directory, 'logo.svg');
    await writeFile(svg, '<svg xmlns="http://www.w3.org/2000/svg"/>');
    await expect(readLogo(svg)).rejects.toThrow(`Invoice logo is not a PNG or JPEG image: ${svg}`);
  });
});
