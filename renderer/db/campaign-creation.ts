// Creating a campaign is one transaction: its record, its first audit event, its reviewer assignments, its review
// table and the policy it was built with are written together, or (on any failure) none of them is.
import type { AuditEventBody } from '../../shared/review';
import { putCampaignBaseline, type CampaignBaseline } from './campaign-baseline';
import { putCampaignTable } from './campaign-table-repository';
import type { CampaignRecord, ItemPlaces, WorkbenchDatabase } from './database';
import { createCampaign, putSetting, storeCampaignAssignments } from './review-repository';

export interface NewCampaign {
  campaign: CampaignRecord;
  /** The campaign-created event (chained as the campaign's first event). */
  created: AuditEventBody;
  assignments: { itemId: string; reviewerId: string; reason: string }[];
  table: { format: number; basis: string; packed: unknown; places?: ItemPlaces };
  policy: { digest: string; value: unknown };
  /** A campaign started from the last certification: its link and comparison (the link is also on the record and event). */
  baseline?: CampaignBaseline;
}

export async function storeNewCampaign(db: WorkbenchDatabase, c: NewCampaign): Promise<void> {
  await db.transaction('rw', [db.settings, db.campaignAssignments, db.campaignTables, db.campaigns, db.events], async () => {
    await putSetting(db, `policy:${c.policy.digest}`, c.policy.value);
    await storeCampaignAssignments(db, c.campaign.id, c.assignments);
    await putCampaignTable(db, c.campaign.id, c.table.format, c.table.basis, c.table.packed, c.table.places);
    if (c.baseline) await putCampaignBaseline(db, c.campaign.id, c.baseline);
    await createCampaign(db, c.campaign, c.created);
  });
}
