// Small presentational pieces used across screens.
import { Badge, Code, CopyButton, Tooltip, UnstyledButton } from '@mantine/core';
import type { RiskTier, SuggestedAction } from '../../shared/suggest';

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

export function formatTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().replace('T', ' ').slice(0, 19) + ' UTC';
}

/** A digest shown short, full on hover, copied on click. */
export function Digest({ value, chars = 12 }: { value: string; chars?: number }) {
  const hex = value.replace(/^(sha256:|SHA256:)/, '');
  return (
    <CopyButton value={value}>
      {({ copied, copy }) => (
        <Tooltip label={copied ? 'copied' : value} maw={560} multiline>
          <UnstyledButton onClick={copy}>
            <Code>{hex.slice(0, chars)}…</Code>
          </UnstyledButton>
        </Tooltip>
      )}
    </CopyButton>
  );
}

const TIER_COLORS: Record<RiskTier, string> = { low: 'gray', medium: 'yellow', high: 'orange', critical: 'red' };

export function RiskBadge({ tier }: { tier: RiskTier }) {
  return (
    <Badge size="sm" variant="light" color={TIER_COLORS[tier]}>
      {tier}
    </Badge>
  );
}

/** An action in words: the engine's 'none' reads "no suggestion", never as an action to take. */
export function actionLabel(action: SuggestedAction | string): string {
  return action === 'none' ? 'no suggestion' : action;
}

export function ActionText({ action }: { action: SuggestedAction | string }) {
  if (action === 'none')
    return (
      <span style={{ color: 'var(--mantine-color-dimmed)', fontStyle: 'italic' }} data-action="none">
        no suggestion
      </span>
    );
  const color = action === 'keep' ? 'var(--mantine-color-dimmed)' : 'var(--mantine-color-red-text)';
  return <span style={{ color, fontWeight: action === 'keep' ? 400 : 600 }}>{action === 'keep' ? 'keep' : action.toUpperCase()}</span>;
}
