// lcs-image-diff (npm, Happo) on two PNGs decoded with pngjs, as its README shows.
//   node lcs.mjs A.png B.png diff.png
// Writes its diff picture (rows aligned by LCS, gaps injected) and prints JSON
// {"diff": ratio, "hunks": [[[a0, a1] | null, [b0, b1] | null], ...]}: each run of picture
// rows that it marks as different, mapped back to rows of A and of B through the injected
// (gap) rows of its own alignment.
import fs from 'node:fs';
import { PNG } from 'pngjs';
import imageDiff from 'lcs-image-diff';
import computeAndInjectDiffs from 'lcs-image-diff/computeAndInjectDiffs.js';

const [pathA, pathB, out] = process.argv.slice(2);
const read = (path) => {
  const png = PNG.sync.read(fs.readFileSync(path));
  return { width: png.width, height: png.height,
    data: new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length) };
};
const a = read(pathA);
const b = read(pathB);
const result = imageDiff(a, b);
if (out) {
  const picture = new PNG({ width: result.width, height: result.height });
  picture.data = Buffer.from(result.data.buffer, result.data.byteOffset, result.data.length);
  fs.writeFileSync(out, PNG.sync.write(picture));
}

// Where its picture's rows come from: replay the alignment it returned (no new search).
const { image1InjectedRows, image2InjectedRows } = computeAndInjectDiffs(
  { image1: a, image2: b, alignment: result.alignment });
const { data, width, height } = result;
const marked = (y) => {
  for (let x = 0; x < width; x += 1) {
    const i = (y * width + x) * 4;
    const alpha = data[i + 3];
    if (alpha !== 0 && (alpha !== 140
        || (data[i] === 179 && data[i + 1] === 54 && data[i + 2] === 130))) return true;
  }
  return false;
};
const hunks = [];
let rowA = 0;
let rowB = 0;
let open = null;
for (let y = 0; y <= height; y += 1) {
  const isMarked = y < height && marked(y);
  if (isMarked && !open) open = { a0: rowA, b0: rowB };
  if (!isMarked && open) {
    hunks.push([rowA > open.a0 ? [open.a0, rowA] : null, rowB > open.b0 ? [open.b0, rowB] : null]);
    open = null;
  }
  if (y < height) {
    if (!image1InjectedRows.has(y)) rowA += 1;
    if (!image2InjectedRows.has(y)) rowB += 1;
  }
}
console.log(JSON.stringify({ diff: result.diff, hunks }));
