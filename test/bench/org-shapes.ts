// The organisation generator's vocabulary: anomaly kinds, organisation shapes and their rates, options, the
// generated result with its ground truth, and the seeded PRNG (see org-generator.ts).
import type { SuggestedAction } from '../../shared/suggest';

export type AnomalyKind =
  | 'transfer-leftover'
  | 'unused-grant'
  | 'never-used-grant'
  | 'terminated-entitled'
  | 'privileged-one-off'
  | 'sod-conflict'
  | 'ownerless-service'
  | 'stale-key'
  | 'unused-key'
  | 'service-password'
  | 'privileged-workload';

export const ANOMALY_KINDS: AnomalyKind[] = [
  'transfer-leftover',
  'unused-grant',
  'never-used-grant',
  'terminated-entitled',
  'privileged-one-off',
  'sod-conflict',
  'ownerless-service',
  'stale-key',
  'unused-key',
  'service-password',
  'privileged-workload',
];

export interface TruthItem {
  itemId: string;
  kind: AnomalyKind;
  expected: SuggestedAction;
}

export interface OrgShape {
  name: string;
  /** Average people per department (departments = humans / this). */
  peoplePerDepartment: number;
  titlesPerDepartment: [number, number];
  teamSize: [number, number];
  /** Entitlements in each title's core bundle, the department bundle and the optional pool. */
  titleBundle: [number, number];
  departmentBundle: number;
  optionalPool: number;
  /** Each optional entitlement is held by this share range of the title. */
  optionalShare: [number, number];
  serviceShare: number;
  workloadShare: number;
  agentShare: number;
  /** One application's source carries no usage data at all (its empty lastUsedAt means unknown). */
  usageMissingSource: boolean;
  /** Anomaly rates, per human (or per service account / workload for NHI kinds). */
  rates: Record<AnomalyKind, number>;
  /** Legitimate one-off grants from a sibling title (not anomalies), per human. */
  legitOneOffRate: number;
  /** Each role's last optional entitlement is held by only 4–12 % of the role (legitimate, not an anomaly). */
  nicheTools: boolean;
}

export const BASE_RATES: Record<AnomalyKind, number> = {
  'transfer-leftover': 0.015,
  'unused-grant': 0.015,
  'never-used-grant': 0.006,
  'terminated-entitled': 0.01,
  'privileged-one-off': 0.005,
  'sod-conflict': 0.004,
  'ownerless-service': 0.08,
  'stale-key': 0.1,
  'unused-key': 0.06,
  'service-password': 0.04,
  'privileged-workload': 0.1,
};

export const SHAPES: Record<string, OrgShape> = {
  balanced: {
    name: 'balanced',
    peoplePerDepartment: 150,
    titlesPerDepartment: [3, 7],
    teamSize: [6, 14],
    titleBundle: [2, 4],
    departmentBundle: 3,
    optionalPool: 3,
    optionalShare: [0.25, 0.5],
    serviceShare: 0.03,
    workloadShare: 0.015,
    agentShare: 0.005,
    usageMissingSource: false,
    rates: BASE_RATES,
    legitOneOffRate: 0.003,
    nicheTools: true,
  },
  flat: {
    name: 'flat',
    peoplePerDepartment: 600,
    titlesPerDepartment: [2, 4],
    teamSize: [10, 25],
    titleBundle: [3, 5],
    departmentBundle: 2,
    optionalPool: 4,
    optionalShare: [0.2, 0.45],
    serviceShare: 0.02,
    workloadShare: 0.01,
    agentShare: 0.002,
    usageMissingSource: true,
    rates: { ...BASE_RATES, 'transfer-leftover': 0.025, 'unused-grant': 0.01 },
    legitOneOffRate: 0.004,
    nicheTools: true,
  },
  fragmented: {
    name: 'fragmented',
    peoplePerDepartment: 60,
    titlesPerDepartment: [4, 9],
    teamSize: [4, 9],
    titleBundle: [2, 3],
    departmentBundle: 4,
    optionalPool: 2,
    optionalShare: [0.3, 0.5],
    serviceShare: 0.04,
    workloadShare: 0.02,
    agentShare: 0.01,
    usageMissingSource: false,
    rates: { ...BASE_RATES, 'privileged-one-off': 0.008, 'sod-conflict': 0.006 },
    legitOneOffRate: 0.003,
    nicheTools: true,
  },
  'nhi-heavy': {
    name: 'nhi-heavy',
    peoplePerDepartment: 200,
    titlesPerDepartment: [3, 6],
    teamSize: [6, 12],
    titleBundle: [2, 4],
    departmentBundle: 3,
    optionalPool: 3,
    optionalShare: [0.25, 0.5],
    serviceShare: 0.12,
    workloadShare: 0.06,
    agentShare: 0.03,
    usageMissingSource: true,
    rates: {
      ...BASE_RATES,
      'ownerless-service': 0.12,
      'stale-key': 0.15,
      'unused-key': 0.08,
      'service-password': 0.05,
      'privileged-workload': 0.12,
    },
    legitOneOffRate: 0.002,
    nicheTools: false,
  },
};

export interface GenerateOptions {
  seed: number;
  /** Total identities (people and non-human together). */
  identities: number;
  shape?: string | Partial<OrgShape>;
  /** "Today" of the organisation (ISO date); usage dates are relative to it. Default 2026-06-30. */
  asOf?: string;
}

export interface GeneratedOrganisation {
  files: { name: string; text: string }[];
  truth: {
    asOf: string;
    seed: number;
    shape: string;
    items: TruthItem[];
    counts: Record<AnomalyKind, number>;
  };
  counts: { identities: number; entitlements: number; assignments: number; credentials: number };
}

/** Deterministic PRNG (mulberry32) with helpers. */
export class Rng {
  private a: number;
  constructor(seed: number) {
    this.a = seed >>> 0 || 0x9e3779b9;
  }
  next(): number {
    this.a = (this.a + 0x6d2b79f5) >>> 0;
    let t = this.a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
}
