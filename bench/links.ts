/**
 * How long decodeLink takes on hostile links: a decompression bomb, deep nesting, the
 * largest text it reads at all, and a valid preset link for scale. Figures only (wall time,
 * median of a few runs); nothing here passes or fails, and nothing is printed.
 */
import { deflateSync, strToU8 } from 'fflate';
import { Prng } from '../src/engine/kernel/prng';
import { decodeLink, encodeLink } from '../src/engine/scenario/linkCodec';
import { findPreset } from '../src/engine/scenario/presets';
import { MAX_LINK_CHARS } from '../src/engine/scenario/untrusted';
import { resolveScenario } from '../src/engine/scenario/validate';

const MiB = 1 << 20;

function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const pack = (bytes: Uint8Array) => `#s=2.${toBase64Url(deflateSync(bytes, { level: 9 }))}`;

function hostileLinks(): Record<string, string> {
  const scenario = resolveScenario(findPreset('postcopy')?.scenario);
  const prng = new Prng(1);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  let random = '#s=2.';
  while (random.length < MAX_LINK_CHARS) random += alphabet[prng.nextU32() % alphabet.length];
  return {
    // 40 MiB of zeros deflates to ~40 KiB: it fits a link, and unpacks until the 1 MiB limit.
    bombZeros: pack(new Uint8Array(40 * MiB)),
    bombBrackets: pack(new Uint8Array(40 * MiB).fill(0x5b)),
    deepNesting: pack(strToU8(`${'['.repeat(100_000)}${']'.repeat(100_000)}`)),
    maxSizeRandomText: random,
    validPreset: encodeLink({ scenario, position: 1000, lab: 'migration', view: 'lab', fromPreset: 'postcopy' }),
  };
}

export function benchLinks(): Record<string, number | string> {
  const links = hostileLinks();
  const out: Record<string, number | string> = {};
  let slowest = 0;
  let slowestCase = '';
  for (const [name, link] of Object.entries(links)) {
    decodeLink(link);
    const times: number[] = [];
    for (let rep = 0; rep < 5; rep++) {
      const t = performance.now();
      decodeLink(link);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const ms = times[2];
    out[`${name}DecodeMs`] = Math.round(ms * 100) / 100;
    out[`${name}LinkChars`] = link.length;
    if (ms > slowest) {
      slowest = ms;
      slowestCase = name;
    }
  }
  return { slowestDecodeMs: Math.round(slowest * 100) / 100, slowestCase, ...out };
}
