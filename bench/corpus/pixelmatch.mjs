// pixelmatch (npm) on two PNGs of any size, as its own CLI would run it on same-size images:
// both decoded with pngjs, padded (transparent) to the larger width and height, compared with
// pixelmatch's defaults (threshold 0.1, anti-aliased pixels not counted).
//   node pixelmatch.mjs A.png B.png diff.png
// Writes the diff picture (differing pixels in red on transparent) and prints JSON:
// {"different": pixels, "width": w, "height": h, "rows": [[start, stop], ...]} where rows
// are the runs of picture rows holding a red pixel.
import fs from 'node:fs';
import { PNG } from 'pngjs';
import pixelmatch from 'pixelmatch';

const [pathA, pathB, out] = process.argv.slice(2);
const a = PNG.sync.read(fs.readFileSync(pathA));
const b = PNG.sync.read(fs.readFileSync(pathB));
const width = Math.max(a.width, b.width);
const height = Math.max(a.height, b.height);

function pad(image) {
  if (image.width === width && image.height === height) return image.data;
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < image.height; y += 1) {
    data.set(image.data.subarray(y * image.width * 4, (y + 1) * image.width * 4), y * width * 4);
  }
  return data;
}

const diff = new PNG({ width, height });
const different = pixelmatch(pad(a), pad(b), diff.data, width, height,
  { threshold: 0.1, diffMask: true });
if (out) fs.writeFileSync(out, PNG.sync.write(diff));

const rows = [];
let start = -1;
for (let y = 0; y <= height; y += 1) {
  let marked = false;
  for (let x = 0; y < height && x < width && !marked; x += 1) {
    const i = (y * width + x) * 4;
    marked = diff.data[i + 3] > 0 && diff.data[i] === 255 && diff.data[i + 1] === 0
      && diff.data[i + 2] === 0;
  }
  if (marked && start < 0) start = y;
  if (!marked && start >= 0) { rows.push([start, y]); start = -1; }
}
console.log(JSON.stringify({ different, width, height, rows }));
