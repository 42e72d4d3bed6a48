import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { lambdaEnvironment, prepareColdStart } from './cold-start';

const run = promisify(execFile);
const names = process.argv[2] === 'all' ? undefined : process.argv[2]!.split(',');
const rounds = Number(process.argv[3] ?? 25);
const out = mkdtempSync(join(tmpdir(), 'middy-probe-'));
const prepared = await prepareColdStart(out, names);
const floorId = (c: readonly string[]) =>
  c.length === 0 ? 'none' : c.map((p) => p.replace('@aws-sdk/client-', '')).join('+');
const items = [
  ...[...prepared.floors].map(([id, b]) => ({ name: `floor-${id}`, file: b.file, floor: `floor-${id}` })),
  ...prepared.functions.map((f) => ({
    name: f.name,
    file: f.bundle.file,
    floor: `floor-${floorId(f.bundle.sdkClients)}`,
  })),
];
const script = (file: string) =>
  [
    'const c0 = process.cpuUsage(); const t0 = performance.now();',
    `const m = await import(${JSON.stringify(pathToFileURL(file).href)});`,
    'const t = performance.now() - t0; const c = process.cpuUsage(c0);',
    "if (typeof m.handler !== 'function') throw new Error('no handler');",
    'process.stdout.write(JSON.stringify({ wall: t, cpu: (c.user + c.system) / 1000 })); process.exit(0);',
  ].join('\n');
const samples = new Map<string, { wall: number[]; cpu: number[] }>(
  items.map((i) => [i.name, { wall: [], cpu: [] }]),
);
for (let r = 0; r < rounds; r++) {
  const order = r % 2 === 0 ? items : [...items].reverse();
  for (const item of order) {
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script(item.file)], {
      env: lambdaEnvironment(item.name, dirname(item.file)),
    });
    const v = JSON.parse(stdout);
    samples.get(item.name)!.wall.push(v.wall);
    samples.get(item.name)!.cpu.push(v.cpu);
  }
}
const low = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const k = Math.max(1, Math.floor(s.length / 4));
  return s.slice(0, k).reduce((a, b) => a + b, 0) / k;
};
const med = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
for (const item of items) {
  const s = samples.get(item.name)!;
  const f = samples.get(item.floor)!;
  console.log(
    `${item.name.padEnd(34)} wall med ${med(s.wall).toFixed(1).padStart(6)} (x${(med(s.wall) / med(f.wall)).toFixed(3)})  cpu low-quartile ${low(s.cpu).toFixed(1).padStart(6)} (x${(low(s.cpu) / low(f.cpu)).toFixed(3)})  cpu med x${(med(s.cpu) / med(f.cpu)).toFixed(3)}`,
  );
}
