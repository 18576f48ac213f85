// Review against the last certification (#21): an unchanged item shows the prior decision, carried from the
// baseline by digest, for a reviewer to confirm (never applied by itself); a changed item shows what moved; a new
// one says so. The bulk confirmation is offered only where the policy's rules would let the decision stand alone.
import { Alert, Badge, Button, Group, Modal, ScrollArea, Stack, Table, Text } from '@mantine/core';
import { useEffect, useState, type CSSProperties } from 'react';
import {
  bulkConfirmEvent,
  bulkEligible,
  decisionProblem,
  type AuditEventBody,
  type BaselineLink,
  type CarriedDecision,
  type DecisionContext,
  type ItemState,
  type ReviewerRef,
  type SuggestionSnapshot,
} from '../../../shared/review';
import { command, type CarriedItem } from '../../backend';
import { formatCount, formatDate, formatTime } from '../../components';
import { useTranslation } from '../../i18n';
import { actionOf, decisionClassOf, type CampaignTable } from '../../workers';

/** A human decision from the baseline: never styled like the machine's suggestion (the indigo box). */
const box: CSSProperties = {
  border: '1px solid var(--mantine-color-default-border)',
  borderLeft: '4px solid var(--mantine-color-teal-7)',
  borderRadius: 'var(--mantine-radius-sm)',
  padding: 'var(--mantine-spacing-xs)',
  marginBottom: 'var(--mantine-spacing-sm)',
};

export interface ReviewBaseline {
  link: BaselineLink;
  byItem: ReadonlyMap<string, CarriedItem>;
}

/** The campaign's baseline comparison, or null when it was not started from one (loaded once: it never changes). */
export function useReviewBaseline(campaignId: string): ReviewBaseline | null {
  const [baseline, setBaseline] = useState<ReviewBaseline | null>(null);
  useEffect(() => {
    let live = true;
    command('campaignBaseline', { campaignId }).then(
      (b) => live && setBaseline(b ? { link: b.link, byItem: new Map(b.items.map((i) => [i.itemId, i])) } : null),
      (e: unknown) => console.warn('baseline not loaded', e),
    );
    return () => {
      live = false;
    };
  }, [campaignId]);
  return baseline;
}

/** "sha256:3f2a…c91b": enough of the digest to tell packages apart on screen (the full one is in the tooltip). */
export function shortDigest(digest: string): string {
  const hex = digest.replace(/^sha256:/, '');
  return `sha256:${hex.slice(0, 12)}…`;
}

/** What the decision event records of the prior decision it confirms. */
export function carriedDecision(link: BaselineLink, entry: CarriedItem): CarriedDecision | null {
  const p = entry.prior;
  if (entry.kind !== 'unchanged' || !p) return null;
  return {
    packageDigest: link.packageDigest,
    action: p.action,
    reviewerId: p.reviewerId,
    at: p.at,
    ...(p.keepUntil ? { keepUntil: p.keepUntil } : {}),
  };
}

interface PanelProps {
  link: BaselineLink;
  entry: CarriedItem;
  reviewerNames: ReadonlyMap<string, string>;
  saving: boolean;
  onConfirm: () => void;
}

export function CarriedPanel({ link, entry, reviewerNames, saving, onConfirm }: PanelProps) {
  const { t } = useTranslation();
  const from = <span title={link.packageDigest}>{shortDigest(link.packageDigest)}</span>;
  if (entry.kind === 'new')
    return (
      <div style={box} data-testid="carried-panel" data-kind="new">
        <Text size="xs" fw={700} tt="uppercase">
          {t('review.carried.newTitle')}
        </Text>
        <Text size="sm">{t('review.carried.newBody', { digest: shortDigest(link.packageDigest) })}</Text>
      </div>
    );
  if (entry.kind === 'changed')
    return (
      <div style={box} data-testid="carried-panel" data-kind="changed">
        <Text size="xs" fw={700} tt="uppercase">
          {t('review.carried.changedTitle')} <span style={{ fontWeight: 400, textTransform: 'none' }}>· {from}</span>
        </Text>
        {entry.changes.length > 0 && (
          <Table withRowBorders={false} verticalSpacing={1} fz="xs" data-testid="carried-changes">
            <Table.Tbody>
              {entry.changes.map((c) => (
                <Table.Tr key={c.field}>
                  <Table.Td>{t(`review.carried.field.${c.field}`)}</Table.Td>
                  <Table.Td className="mono">
                    {c.before || t('review.carried.empty')} → {c.after || t('review.carried.empty')}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {entry.reason && <Text size="sm">{t('review.carried.changedReason', { reason: entry.reason })}</Text>}
        {entry.prior && <PriorLine entry={entry} reviewerNames={reviewerNames} />}
      </div>
    );
  return (
    <div style={box} data-testid="carried-panel" data-kind="unchanged">
      <Group justify="space-between" gap="xs">
        <Text size="xs" fw={700} tt="uppercase">
          {t('review.carried.title')}
        </Text>
        <Text size="xs" c="dimmed" data-testid="carried-from">
          {t('review.carried.from', { digest: shortDigest(link.packageDigest) })}
        </Text>
      </Group>
      <PriorLine entry={entry} reviewerNames={reviewerNames} />
      <Text size="sm" data-testid="carried-rationale">
        {t('review.carried.rationale', { text: entry.prior?.rationale ?? t('review.carried.noRationale') })}
      </Text>
      <Text size="xs" c="dimmed" mt={4}>
        {t('review.carried.confirmNote')}
      </Text>
      <Button size="compact-sm" mt={6} onClick={onConfirm} loading={saving} data-testid="confirm-carried">
        {t('review.carried.confirm')}
      </Button>
    </div>
  );
}

function PriorLine({ entry, reviewerNames }: { entry: CarriedItem; reviewerNames: ReadonlyMap<string, string> }) {
  const { t } = useTranslation();
  const p = entry.prior;
  if (!p) return null;
  const who = reviewerNames.get(p.reviewerId) ?? p.reviewerId;
  return (
    <Text size="sm" data-testid="carried-prior">
      {t('review.carried.prior', { action: t(`enums.action.${p.action}`), who, date: formatTime(p.at) })}
      {p.keepUntil ? ` · ${t('review.carried.until', { date: formatDate(p.keepUntil) })}` : ''}
      {p.approver
        ? ` · ${t('review.carried.approver', { who: reviewerNames.get(p.approver.id) ?? p.approver.id, date: formatTime(p.approver.at) })}`
        : ''}
    </Text>
  );
}

/**
 * Which of these items may be confirmed in bulk: unchanged with a carried decision the carry-forward rules allow in
 * bulk (never high or critical), open, in the policy's bulk class, and a decision that stands without a rationale
 * under the very rules a single decision is checked by (an override of the suggestion or an exception does not).
 */
export function bulkConfirmable(
  items: ArrayLike<number>,
  table: CampaignTable,
  baseline: ReviewBaseline,
  states: ReadonlyMap<string, ItemState>,
  context: (i: number) => Omit<DecisionContext, 'suggested' | 'decisionClass'>,
): { eligible: number[]; unchanged: number } {
  const eligible: number[] = [];
  let unchanged = 0;
  for (let k = 0; k < items.length; k++) {
    const i = items[k]!;
    const entry = baseline.byItem.get(table.itemIds[i]!);
    if (entry?.kind !== 'unchanged' || !entry.prior) continue;
    const decided = Boolean(states.get(entry.itemId)?.current);
    if (decided) continue;
    unchanged++;
    const suggested = actionOf(table, i);
    const decisionClass = decisionClassOf(table, i);
    if (!entry.bulk || !bulkEligible({ decisionClass, suggested, decided })) continue;
    const problem = decisionProblem(
      { action: entry.prior.action, rationale: '', ...(entry.prior.keepUntil ? { keepUntil: entry.prior.keepUntil } : {}) },
      { ...context(i), suggested, decisionClass },
    );
    if (!problem) eligible.push(i);
  }
  return { eligible, unchanged };
}

/** Each confirmation is its own signed decision event, marked as bulk and as carried from the baseline. */
export async function confirmCarriedInBulk(
  list: number[],
  o: {
    itemIds: ArrayLike<string>;
    baseline: ReviewBaseline;
    snapshots: SuggestionSnapshot[];
    campaignId: string;
    actor: ReviewerRef;
    commit: (body: AuditEventBody) => Promise<unknown>;
  },
): Promise<void> {
  for (let k = 0; k < list.length; k++) {
    const itemId = o.itemIds[list[k]!]!;
    const entry = o.baseline.byItem.get(itemId);
    const carried = entry ? carriedDecision(o.baseline.link, entry) : null;
    if (!carried) continue;
    const s = o.snapshots[k]!;
    await o.commit(bulkConfirmEvent({ campaignId: o.campaignId, actor: o.actor, itemId, suggestion: s, carried, bulkSize: list.length }));
  }
}

export function CarriedBulkDialog(p: {
  opened: boolean;
  link: BaselineLink;
  eligible: { itemId: string; who: string; what: string }[];
  unchanged: number;
  saving: boolean;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const refused = p.unchanged - p.eligible.length;
  return (
    <Modal
      opened={p.opened}
      onClose={p.onClose}
      title={t('review.carried.bulkTitle')}
      size="lg"
      closeButtonProps={{ 'aria-label': t('review.carried.bulkClose') }}
    >
      <Stack gap="xs" data-testid="carried-bulk-dialog">
        <Text size="sm">
          {t('review.carried.bulkSummary', { n: formatCount(p.eligible.length), digest: shortDigest(p.link.packageDigest) })}
        </Text>
        <ScrollArea.Autosize mah={280} type="auto" offsetScrollbars>
          <Table withRowBorders={false} verticalSpacing={2} fz="xs">
            <Table.Tbody>
              {p.eligible.slice(0, 500).map((i) => (
                <Table.Tr key={i.itemId} data-testid="carried-bulk-item">
                  <Table.Td>{i.who}</Table.Td>
                  <Table.Td>{i.what}</Table.Td>
                  <Table.Td>
                    <Badge size="xs" variant="light">
                      {t('review.carried.badge')}
                    </Badge>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea.Autosize>
        {refused > 0 && (
          <Alert color="orange" py={6}>
            {t('review.carried.bulkRefused', { n: formatCount(refused) })}
          </Alert>
        )}
        <Group>
          <Button onClick={p.onConfirm} disabled={!p.eligible.length} loading={p.saving} data-testid="confirm-carried-bulk" data-autofocus>
            {t('review.carried.bulkConfirm', { count: p.eligible.length, n: formatCount(p.eligible.length) })}
          </Button>
          <Button variant="default" onClick={p.onClose}>
            {t('common.cancel')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
