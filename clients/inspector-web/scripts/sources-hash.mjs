// The SHA-256 over the bundle's sources, kept in dist/sources.sha256 beside the committed bundle
// (dist/app.js, dist/sw.js), so a .NET test can tell a stale bundle without Node
// (tests/Verification.Tests/InspectorBundleTests.cs computes the same hash; keep the two in step).
//
// Sources: src/**/*.js, package.json, package-lock.json. Order: their paths relative to this
// folder, with '/' separators, sorted by UTF-16 code unit (ordinal). For each file the hash takes
// the path's UTF-8 bytes, one 0 byte, the file's bytes with every CRLF turned into LF (so a Windows
// checkout gives the same hash), one 0 byte.
//
//   node scripts/sources-hash.mjs           prints the hash
//   node scripts/sources-hash.mjs --write   writes it to dist/sources.sha256 (npm run build does)
//   node scripts/sources-hash.mjs --check   exits 1 when dist/sources.sha256 differs
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function jsFiles(dir) {
  const out = [];
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) out.push(...jsFiles(path));
    else if (entry.isFile() && entry.name.endsWith('.js')) out.push(path);
  }
  return out;
}

export function sourceFiles() {
  const files = [...jsFiles('src'), 'package.json', 'package-lock.json'];
  return files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export function sourcesHash() {
  const hash = createHash('sha256');
  for (const path of sourceFiles()) {
    const text = readFileSync(join(root, path)).toString('latin1').replaceAll('\r\n', '\n');
    hash.update(Buffer.from(path, 'utf8'));
    hash.update(Buffer.from([0]));
    hash.update(Buffer.from(text, 'latin1'));
    hash.update(Buffer.from([0]));
  }
  return hash.digest('hex');
}

const file = join(root, 'dist', 'sources.sha256');
const hex = sourcesHash();
if (process.argv.includes('--write')) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, hex + '\n');
} else if (process.argv.includes('--check')) {
  let recorded = '';
  try { recorded = readFileSync(file, 'utf8').trim(); } catch { /* missing: stale */ }
  if (recorded !== hex) {
    console.error('the inspector bundle is stale: run `npm ci && npm run build` in clients/inspector-web');
    process.exit(1);
  }
} else {
  console.log(hex);
}
