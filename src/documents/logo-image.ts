import { readFile } from 'node:fs/promises';

export interface LogoImage {
  readonly path: string;
  readonly data: Buffer;
  /** Intrinsic size in pixels, to fit the logo in its box without distorting it. */
  readonly width: number;
  readonly height: number;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Reads branding.logo: a PNG or JPEG file (what pdfkit can embed), with an error naming the path. */
export async function readLogo(path: string): Promise<LogoImage> {
  let data: Buffer;
  try {
    data = await readFile(path);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : 'cannot be read';
    throw new Error(`Invoice logo ${reason}: ${path} (branding.logo in the billing config)`, {
      cause: error,
    });
  }
  const size = pngSize(data) ?? jpegSize(data);
  if (size === undefined || size.width === 0 || size.height === 0) {
    throw new Error(`Invoice logo is not a PNG or JPEG image: ${path} (branding.logo in the billing config)`);
  }
  return { path, data, ...size };
}

function pngSize(data: Buffer): { width: number; height: number } | undefined {
  if (data.length < 24 || !data.subarray(0, 8).equals(PNG_SIGNATURE)) return undefined;
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
}

// A JPEG's size sits in its start-of-frame segment (SOF0–SOF15, except DHT, JPG and DAC).
function jpegSize(data: Buffer): { width: number; height: number } | undefined {
  if (data.length < 4 || data[0] !== 0xff || data[1] !== 0xd8) return undefined;
  let offset = 2;
  while (offset + 9 <= data.length) {
    if (data[offset] !== 0xff) return undefined;
    const marker = data[offset + 1] ?? 0;
    if (marker === 0xff) {
      offset += 1;
      continue;
    }
    const length = data.readUInt16BE(offset + 2);
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: data.readUInt16BE(offset + 5), width: data.readUInt16BE(offset + 7) };
    }
    offset += 2 + length;
  }
  return undefined;
}
