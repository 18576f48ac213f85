// Seeded, reproducible workbench CSV v1 data for throughput benchmarks (the quality benchmark has its own
// organisation generator with planted anomalies).
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** mulberry32: small, fast, seeded. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GeneratedFiles {
  dir: string;
  files: { name: string; path: string; bytes: number }[];
  identities: number;
  entitlements: number;
  assignments: number;
}

const DEPARTMENTS = ['Finance', 'Sales', 'Engineering', 'Data', 'Support', 'HR', 'Legal', 'IT', 'Marketing', 'Operations'];
const PRIVS = ['low', 'low', 'low', 'medium', 'medium', 'high', 'critical'];

export function writeWorkbenchCsv(dir: string, opts: { identities: number; assignments: number; seed: number }): GeneratedFiles {
  mkdirSync(dir, { recursive: true });
  const rnd = seededRandom(opts.seed);
  const entitlementCount = Math.max(50, Math.round(opts.identities / 50));
  const day = (offset: number) => new Date(Date.UTC(2026, 10, 22) - offset * 86_400_000).toISOString().slice(0, 10);
  const ids: string[] = [];
  const idLines = ['id,displayName,email,type,status,department,title,managerId,ownerId,createdAt'];
  for (let i = 0; i < opts.identities; i++) {
    const id = `u${String(i).padStart(7, '0')}`;
    ids.push(id);
    const type = i % 50 === 7 ? 'service' : 'human';
    const status = rnd() < 0.02 ? 'terminated' : 'active';
    const dept = DEPARTMENTS[i % DEPARTMENTS.length]!;
    idLines.push(
      `${id},Person ${i},p${i}@example.com,${type},${status},${dept},Title ${i % 7},${i > 20 ? ids[Math.floor(rnd() * 20)] : ''},${type === 'service' ? ids[0] : ''},${day(200 + Math.floor(rnd() * 2000))}`,
    );
  }
  const entLines = ['id,name,application,privilege,description,ownerId'];
  for (let e = 0; e < entitlementCount; e++)
    entLines.push(`e${e},Entitlement ${e},App ${e % 40},${PRIVS[e % PRIVS.length]},Generated entitlement ${e},${ids[e % 20]}`);
  const files = [
    { name: 'identities.csv', text: idLines.join('\n') + '\n' },
    { name: 'entitlements.csv', text: entLines.join('\n') + '\n' },
  ].map((f) => {
    const path = join(dir, f.name);
    writeFileSync(path, f.text);
    return { name: f.name, path, bytes: Buffer.byteLength(f.text) };
  });
  // Assignments are written a batch of lines at a time: at 10,000,000 the whole text would be over V8's string limit.
  const path = join(dir, 'assignments.csv');
  const fd = openSync(path, 'w');
  let bytes = 0;
  let batch: string[] = ['identityId,entitlementId,grantedAt,lastUsedAt,source'];
  const flush = () => {
    const text = batch.join('\n') + '\n';
    bytes += writeSync(fd, text);
    batch = [];
  };
  const perIdentity = opts.assignments / opts.identities;
  let written = 0;
  try {
    for (let i = 0; i < opts.identities && written < opts.assignments; i++) {
      const n = i === opts.identities - 1 ? opts.assignments - written : Math.round(perIdentity * (i + 1)) - Math.round(perIdentity * i);
      const base = Math.floor(rnd() * entitlementCount);
      for (let k = 0; k < n && written < opts.assignments; k++) {
        const e = (base + k * 7) % entitlementCount;
        const used = rnd() < 0.85 ? day(Math.floor(rnd() * 400)) : '';
        batch.push(`${ids[i]},e${e},${day(100 + Math.floor(rnd() * 1500))},${used},generated`);
        written++;
        if (batch.length === 100_000) flush();
      }
    }
    if (batch.length) flush();
  } finally {
    closeSync(fd);
  }
  files.push({ name: 'assignments.csv', path, bytes });
  return { dir, files, identities: opts.identities, entitlements: entitlementCount, assignments: written };
}

/** An LDIF directory dump: `people` inetOrgPerson entries and groups of 500 members each (RFC 2849). */
export function ldifDirectory(people: number, seed: number): string {
  const rnd = seededRandom(seed);
  const out: string[] = ['version: 1', ''];
  for (let i = 0; i < people; i++) {
    out.push(
      `dn: uid=user${i},ou=People,dc=example,dc=com`,
      'objectClass: top',
      'objectClass: person',
      'objectClass: inetOrgPerson',
      `uid: user${i}`,
      `cn: User ${i}`,
      `sn: ${i}`,
      `mail: user${i}@example.com`,
      `employeeNumber: E${i}`,
      `departmentNumber: ${DEPARTMENTS[Math.floor(rnd() * DEPARTMENTS.length)]}`,
      '',
    );
  }
  for (let g = 0; g * 500 < people; g++) {
    out.push(`dn: cn=group${g},ou=Groups,dc=example,dc=com`, 'objectClass: top', 'objectClass: groupOfNames', `cn: group${g}`);
    for (let m = g * 500; m < Math.min(people, (g + 1) * 500); m++) out.push(`member: uid=user${m},ou=People,dc=example,dc=com`);
    out.push('');
  }
  return out.join('\n');
}
