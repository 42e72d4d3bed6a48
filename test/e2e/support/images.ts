import { crc32, deflateSync } from 'node:zlib';

/**
 * A PNG photo stand-in: `width` × `height` RGB pixels of a smooth gradient with noise (`noise` 0..1).
 * Noise makes it large and hard to compress, like a phone photo; the gradient makes it look like
 * something in the screenshots.
 */
export function pngPhoto(
  width: number,
  height: number,
  options: { noise?: number; seed?: number } = {},
): Buffer {
  const noise = options.noise ?? 0.5;
  let state = (options.seed ?? 1) >>> 0 || 1;
  const random = () => {
    // xorshift32: deterministic pixels, so a run is repeatable.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x1_0000_0000;
  };
  const rowBytes = width * 3 + 1;
  const raw = Buffer.alloc(rowBytes * height);
  for (let y = 0; y < height; y++) {
    raw[y * rowBytes] = 0; // filter: none
    for (let x = 0; x < width; x++) {
      const offset = y * rowBytes + 1 + x * 3;
      const jitter = () => (random() - 0.5) * 255 * noise;
      raw[offset] = clamp(40 + (180 * x) / width + jitter());
      raw[offset + 1] = clamp(90 + (120 * y) / height + jitter());
      raw[offset + 2] = clamp(200 - (120 * x) / width + jitter());
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type: RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 1 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function clamp(value: number): number {
  return Math.max(0, Math.min(255, Math.round(value)));
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length, 0);
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData), 0);
  return Buffer.concat([length, typeAndData, crc]);
}
