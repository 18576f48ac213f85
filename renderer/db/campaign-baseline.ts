// What a campaign started from the last certification keeps of it (#21): the link by digest, the comparison rows
// for the package and report, and per item what the review screen shows (the prior decision, what changed).
import type { BaselineChanges, BaselineLink, ChangeKind, EvidenceChange, PriorDecision } from '../../shared/review';
import type { WorkbenchDatabase } from './database';
import { getSetting, putSetting } from './review-repository';

/** One item of the campaign against the baseline. */
export interface CarriedItem {
  itemId: string;
  kind: Exclude<ChangeKind, 'removed'>;
  /** The baseline's decision, shown on unchanged items for a reviewer to confirm (never applied by itself). */
  prior: PriorDecision | null;
  changes: EvidenceChange[];
  reason: string | null;
  /** bulkConfirmEligible at creation (the review screen also applies the policy's bulk rule). */
  bulk: boolean;
}

export interface CampaignBaseline {
  link: BaselineLink;
  changes: BaselineChanges;
  items: CarriedItem[];
}

const key = (campaignId: string) => `baseline:${campaignId}`;

/** Written inside the campaign-creation transaction (storeNewCampaign). */
export async function putCampaignBaseline(db: WorkbenchDatabase, campaignId: string, baseline: CampaignBaseline): Promise<void> {
  await putSetting(db, key(campaignId), baseline);
}

/** Null for a campaign not started from a baseline. */
export async function getCampaignBaseline(db: WorkbenchDatabase, campaignId: string): Promise<CampaignBaseline | null> {
  return (await getSetting<CampaignBaseline>(db, key(campaignId))) ?? null;
}
