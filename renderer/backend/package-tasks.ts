// Certification package tasks, in the backend worker: build and sign a campaign's package, verify a package.
import { buildCertificationPackage, certificationInput } from '../../shared/package';
import { verifyCertificationPackage } from '../../shared/exchange';
import { startAuditLogThread, withCompressionThread } from '../workers';
import type { PackageSigner, TrustedKey, VerifyReport } from '../../shared/package';
import { fromBase64, sha256Hex } from '../../shared/codec';
import {
  getCampaignBaseline,
  database,
  getCampaign,
  getSetting,
  listEvents,
  listReviewers,
  loadCampaignSnapshot,
  loadSuggestions,
} from '../db';
import type { TaskContext } from './protocol';
import { scoped } from './campaign-scope';

export interface BuildPackageResult {
  bytes: Uint8Array;
  fileName: string;
  manifestDigest: string;
  signers: { name: string; fingerprint: string }[];
  counts: { items: number; decided: number; overridden: number; stepUpApproved: number; open: number; noSuggestion: number };
  seconds: number;
}

export type PackageTaskMap = {
  buildPackage: { args: { campaignId: string }; result: BuildPackageResult };
  verifyPackage: { args: { bytes: Uint8Array; trustedKeys?: TrustedKey[] }; result: VerifyReport };
};

export const packageTasks: {
  [M in keyof PackageTaskMap]: (args: PackageTaskMap[M]['args'], ctx: TaskContext) => Promise<PackageTaskMap[M]['result']>;
} = {
  async buildPackage(args, ctx) {
    const started = performance.now();
    const db = database();
    ctx.progress({ label: 'Collecting decisions', labelKey: 'progress.collecting', done: 0, total: 3, unit: 'items' });
    const campaign = await getCampaign(db, args.campaignId);
    if (!campaign) throw new Error('campaign not found');
    if (campaign.received)
      throw new Error(
        `this campaign belongs to ${campaign.received.owner.name}: return your decisions as a signed decision set (Campaigns → Export decision set); the owner certifies the campaign`,
      );
    const [snapshot, suggestions, events, reviewers, policy, baseline] = await Promise.all([
      loadCampaignSnapshot(db, campaign),
      loadSuggestions(db, campaign.suggestionKey),
      listEvents(db, campaign.id),
      listReviewers(db),
      getSetting<object>(db, `policy:${campaign.policyDigest}`),
      getCampaignBaseline(db, campaign.id),
    ]);
    if (!policy) throw new Error(`the policy ${campaign.policyDigest} this campaign was built with is not on this machine`);
    const input = certificationInput({
      campaign,
      snapshot,
      suggestions: scoped(campaign.scopeFilter, snapshot, suggestions),
      events,
      reviewers,
      policy,
      baselineChanges: baseline?.changes ?? null,
    });
    if (!input.reviewers.length) throw new Error('nobody has decided anything in this campaign yet: there is nothing to sign');
    // Every reviewer whose decisions the package holds signs it; their keys stay with the host.
    const signers: PackageSigner[] = input.reviewers.map((r) => ({
      keyId: reviewers.find((x) => x.id === r.id)!.keyId,
      publicKey: fromBase64(r.publicKey),
      sign: async (message) => (await ctx.call('sign', { keyId: reviewers.find((x) => x.id === r.id)!.keyId, message })) as Uint8Array,
    }));
    ctx.progress({ label: 'Building and signing the package', labelKey: 'progress.building', done: 1, total: 3, unit: 'items' });
    // Entries compress on a second thread while this one writes the next files. (A third thread for report.xlsx, as
    // on Node, measured no faster here: with Compression Streams at zlib's level 6 the two cores are busy already.)
    const built = await withCompressionThread(() => buildCertificationPackage(input, signers));
    ctx.progress({ label: 'Done', labelKey: 'progress.done', done: 3, total: 3, unit: 'items' });
    const envelope = built.files['manifest.intoto.json'];
    return {
      bytes: built.bytes,
      fileName: `${campaign.name.replace(/[^A-Za-z0-9._-]+/g, '-')}-${new Date().toISOString().slice(0, 10)}.arwpkg`,
      manifestDigest: envelope ? sha256Hex(envelope) : '',
      signers: input.reviewers.map((r) => ({ name: r.name, fingerprint: r.keyFingerprint })),
      counts: built.manifest.predicate.counts,
      seconds: (performance.now() - started) / 1000,
    };
  },

  async verifyPackage(args, ctx) {
    ctx.progress({ label: 'Verifying package', labelKey: 'progress.verifying', done: 0, total: 1, unit: 'items' });
    return verifyOnThreads(args.bytes, args.trustedKeys);
  },
};

/** A certification package verified as the Verify screen does: the audit log analysed and entries inflated on their own threads. */
export async function verifyOnThreads(bytes: Uint8Array, trustedKeys?: TrustedKey[]): Promise<VerifyReport> {
  // Entries inflate on a codec thread while this one reads decisions.json; the audit log is inflated, hashed and
  // analysed on another (straight from its entry), which also compares decisions.json's items with it.
  const thread = await startAuditLogThread();
  try {
    const options = {
      ...(trustedKeys ? { trustedKeys } : {}),
      analyzeAuditLog: thread.analyze,
      ...(thread.analyzeEntry ? { analyzeAuditLogEntry: thread.analyzeEntry } : {}),
    };
    return await withCompressionThread(() => verifyCertificationPackage(bytes, options));
  } finally {
    thread.close();
  }
}
