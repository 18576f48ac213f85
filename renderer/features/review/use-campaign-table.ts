// Opens a campaign in its worker and returns the compact item table (see workers/campaign-table.ts).
import { useEffect, useState } from 'react';
import { command } from '../../backend';
import { campaignClient, closeCampaignClient, type CampaignClient, type OpenCampaign } from '../../backend';

export interface CampaignTableState {
  data: (OpenCampaign & { client: CampaignClient }) | null;
  loading: boolean;
  error: string | null;
}

export function useCampaignTable(campaignId: string | null): CampaignTableState {
  const [state, setState] = useState<CampaignTableState>({ data: null, loading: false, error: null });
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
          if (live) setState((s) => (s.data?.client === client ? s : { data: { ...opened, client }, loading: false, error: null }));
        })
        .catch((e: unknown) => live && setState({ data: null, loading: false, error: e instanceof Error ? e.message : String(e) }));
    };
    open(campaignClient(campaignId), false);
    return () => {
      live = false;
    };
  }, [campaignId]);
  return state;
}
