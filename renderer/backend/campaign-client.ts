// The UI thread's handle on a campaign worker. One worker per open campaign, kept while the app runs (the last
// few campaigns), so going back to the Review tab does not load the snapshot again.
import type { CampaignRecord } from '../db';
import type { SuggestionSnapshot } from '../../shared/review';
import { campaignMark, unpackTable, type CampaignHandlers, type CampaignTable, type ItemDetail } from '../workers';
import { connect, superviseWorker, webWorkerStops, type Channel } from '../../shared/rpc';
import { command } from './client';

export interface OpenCampaign {
  campaign: CampaignRecord;
  table: CampaignTable;
  /** See campaignTableBasis: when it changed, the campaign is opened afresh. */
  basis: string;
}

export class CampaignClient {
  private readonly worker: Worker;
  private readonly channel: Channel<CampaignHandlers>;
  private readonly details = new Map<number, Promise<ItemDetail>>();
  private readonly resolved = new Map<number, ItemDetail>();
  private readonly unwatch: () => void;
  readonly opened: Promise<OpenCampaign>;
  /** Set once the client is handed out again: its table may predate a class correction (see useCampaignTable). */
  reused = false;

  /** `first`: see the worker's open (the screen's selection where it opens in the table's own order). */
  constructor(
    readonly campaignId: string,
    first?: { pos: number; id: string | null },
  ) {
    this.worker = new Worker(new URL('../workers/campaign.worker.ts', import.meta.url), { type: 'module', name: `arw-campaign` });
    this.channel = connect<CampaignHandlers>(this.worker);
    // The campaign worker reads what it needs from the backend, which owns the database, over a port of its own.
    const { port1, port2 } = new MessageChannel();
    const linked = command('connectPort', { port: port1 }, { transfer: [port1] });
    // A campaign worker that dies (its heap limit on a large campaign) rejects what waits instead of hanging the screen.
    this.unwatch = superviseWorker(this.worker, this.channel, webWorkerStops(this.worker), {
      name: 'campaign',
      onStopped: () => {
        if (clients.get(campaignId) === this) clients.delete(campaignId);
        this.worker.terminate();
      },
    });
    // What the worker asks on its port waits there until the backend has taken the other end.
    campaignMark('ui: campaign opening');
    this.opened = Promise.all([
      linked,
      this.channel.call('open', { campaignId, backend: port2, ...(first ? { first } : {}) }, { transfer: [port2] }),
    ]).then(([, o]) => {
      campaignMark('ui: table received');
      return { campaign: o.campaign, table: unpackTable(o.table), basis: o.basis };
    });
  }

  /** The full detail of the item at `index` of the table (kept: items are immutable within a campaign). */
  detail(index: number): Promise<ItemDetail> {
    let p = this.details.get(index);
    if (!p) {
      p = this.channel.call('detail', { campaignId: this.campaignId, index });
      this.details.set(index, p);
      campaignMark(`ui: detail ${index} asked`);
      p.then(
        (d) => (this.resolved.set(index, d), campaignMark(`ui: detail ${index} received`)),
        () => this.details.delete(index),
      );
      // A reviewer looks at a few thousand items a day: keep the most recent ones only.
      if (this.details.size > 2000) {
        const oldest = this.details.keys().next().value!;
        this.details.delete(oldest);
        this.resolved.delete(oldest);
      }
    }
    return p;
  }

  /** The detail of the item if it has already arrived (no render waits for a promise then). */
  peek(index: number): ItemDetail | undefined {
    return this.resolved.get(index);
  }

  /** What decision events record about the suggestions of these items (bulk accept). */
  snapshots(indices: number[]): Promise<SuggestionSnapshot[]> {
    return this.channel.call('snapshots', { campaignId: this.campaignId, indices });
  }

  close(): void {
    this.unwatch();
    this.worker.terminate();
    this.channel.close(new Error('campaign closed'));
  }
}

const KEPT = 2;
const clients = new Map<string, CampaignClient>();

/** Stops the campaign's worker (the next use starts a fresh one). */
export function closeCampaignClient(campaignId: string): void {
  const client = clients.get(campaignId);
  clients.delete(campaignId);
  client?.close();
}

/** The worker of a campaign, started on first use. */
export function campaignClient(campaignId: string, first?: { pos: number; id: string | null }): CampaignClient {
  let client = clients.get(campaignId);
  if (client) {
    // Most recently used last.
    clients.delete(campaignId);
    clients.set(campaignId, client);
    client.reused = true;
    return client;
  }
  client = new CampaignClient(campaignId, first);
  clients.set(campaignId, client);
  const started = client;
  // A campaign that failed to open is not kept: the next attempt starts afresh.
  started.opened.catch(() => {
    if (clients.get(campaignId) === started) {
      clients.delete(campaignId);
      started.close();
    }
  });
  while (clients.size > KEPT) {
    const [oldest, c] = clients.entries().next().value!;
    clients.delete(oldest);
    c.close();
  }
  return client;
}
