// Opens a campaign in its worker and returns the compact item table (see workers/campaign-table.ts).
import { useEffect, useRef, useState } from 'react';
import { command } from '../../backend';
import { campaignClient, closeCampaignClient, type CampaignClient, type OpenCampaign } from '../../backend';
import type { CampaignTable } from '../../workers';

export interface CampaignTableState {
  data: (OpenCampaign & { client: CampaignClient }) | null;
  loading: boolean;
  error: string | null;
}

/**
 * `firstIndex`: the table index the screen will show first (or -1), asked of the worker as soon as the table is here,
 * before the screen renders it (#19: at 1,000,000 items that render held the first detail's request back a second).
 */
export function useCampaignTable(
  campaignId: string | null,
  firstIndex?: (table: CampaignTable) => number,
  /** Where the screen opens when its view is the table's own order: the worker begins that detail itself. */
  inOrder?: { pos: number; id: string | null },
): CampaignTableState {
  const [state, setState] = useState<CampaignTableState>({ data: null, loading: false, error: null });
  const first = useRef({ firstIndex, inOrder });
  first.current = { firstIndex, inOrder };
  useEffect(() => {
    if (!campaignId) {
      setState({ data: null, loading: false, error: null });
      return;
    }
    let live = true;
    const open = (client: CampaignClient, retried: boolean) => {
      setState((s) => (s.data?.client === client ? s : { data: null, loading: true, error: null }));
      client.opened
        .then(async (opened) => {
          // A class corrected since the campaign was opened: open it afresh (identity classes are in the table).
          // (A worker started just now read the basis itself.)
          if (
            !retried &&
            client.reused &&
            (await command('campaignTableBasis', { snapshotId: opened.campaign.snapshotId })) !== opened.basis
          ) {
            closeCampaignClient(campaignId);
            if (live) open(campaignClient(campaignId), true);
            return;
          }
          if (!live) return;
          const index = first.current.firstIndex?.(opened.table) ?? -1;
          if (index >= 0 && index < opened.table.count) client.detail(index).catch(() => {});
          setState((s) => (s.data?.client === client ? s : { data: { ...opened, client }, loading: false, error: null }));
        })
        .catch((e: unknown) => live && setState({ data: null, loading: false, error: e instanceof Error ? e.message : String(e) }));
    };
    open(campaignClient(campaignId, first.current.inOrder), false);
    return () => {
      live = false;
    };
  }, [campaignId]);
  return state;
}
