// Draws the app icon (build/icon.png, 512×512 RGBA) with no dependencies: a blue rounded square with
// a white check mark over a list — "access reviewed". electron-builder derives .ico/.icns from it.
// Run: node build/make-icon.mjs
import { Buffer } from 'node:buffer';
import { writeFileSync } from 'node:fs';
import process from 'node:process';
import { deflateSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const size = 512;
const samples = 4; // supersampling per axis for smooth edges

function insideRoundedRect(x, y, x0, y0, x1, y1, r) {
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r && x >= x0 && x <= x1 && y >= y0 && y <= y1;
}

function distanceToSegment(px, py, ax, ay, bx, by) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

// Colour of one sub-sample: [r, g, b, a]
function shade(x, y) {
  if (!insideRoundedRect(x, y, 32, 32, 480, 480, 96)) return [0, 0, 0, 0];
  const white = [255, 255, 255, 255];
  // three list lines on the left
  for (const [ly, lx1] of [
    [150, 250],
    [230, 250],
    [310, 200],
  ])
    if (insideRoundedRect(x, y, 110, ly - 14, lx1, ly + 14, 14)) return [214, 228, 255, 255];
  // check mark
  if (distanceToSegment(x, y, 250, 300, 310, 370) <= 26 || distanceToSegment(x, y, 310, 370, 420, 200) <= 26) return white;
  // vertical gradient blue
  const t = y / size;
  return [Math.round(28 + 10 * t), Math.round(110 - 30 * t), Math.round(214 - 40 * t), 255];
}

const raw = Buffer.alloc((size * 4 + 1) * size);
for (let y = 0; y < size; y += 1) {
  raw[y * (size * 4 + 1)] = 0; // filter: none
  for (let x = 0; x < size; x += 1) {
    const acc = [0, 0, 0, 0];
    for (let sy = 0; sy < samples; sy += 1) {
      for (let sx = 0; sx < samples; sx += 1) {
        const [r, g, b, a] = shade(x + (sx + 0.5) / samples, y + (sy + 0.5) / samples);
        acc[0] += r * a;
        acc[1] += g * a;
        acc[2] += b * a;
        acc[3] += a;
      }
    }
    const o = y * (size * 4 + 1) + 1 + x * 4;
    const alpha = acc[3] / (samples * samples);
    raw[o] = acc[3] ? Math.round(acc[0] / acc[3]) : 0;
    raw[o + 1] = acc[3] ? Math.round(acc[1] / acc[3]) : 0;
    raw[o + 2] = acc[3] ? Math.round(acc[2] / acc[3]) : 0;
    raw[o + 3] = Math.round(alpha);
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const byte of buf) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
};
const header = Buffer.alloc(13);
header.writeUInt32BE(size, 0);
header.writeUInt32BE(size, 4);
header[8] = 8; // bit depth
header[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
const out = join(dirname(fileURLToPath(import.meta.url)), 'icon.png');
writeFileSync(out, png);
process.stdout.write(`wrote ${out} (${png.length} bytes)\n`);
