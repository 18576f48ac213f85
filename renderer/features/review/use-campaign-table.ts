// Opens a campaign in its worker and returns the compact item table (see workers/campaign-table.ts).
import { useEffect, useState } from 'react';
import { campaignClient, type CampaignClient, type OpenCampaign } from '../../workers/campaign-client';

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
    const client = campaignClient(campaignId);
    setState((s) => (s.data?.client === client ? s : { data: null, loading: true, error: null }));
    client.opened.then(
      (opened) => live && setState((s) => (s.data?.client === client ? s : { data: { ...opened, client }, loading: false, error: null })),
      (e: unknown) => live && setState({ data: null, loading: false, error: e instanceof Error ? e.message : String(e) }),
    );
    return () => {
      live = false;
    };
  }, [campaignId]);
  return state;
}
