// Small presentational pieces used across screens.
import { Badge, Code, CopyButton, Tooltip, UnstyledButton } from '@mantine/core';
import type { RiskTier, SuggestedAction } from '../../shared/suggest';
import { formatLocale, i18n, useTranslation, type TranslationKey } from '../i18n';

// Formatters per locale, built once: formatting runs on every row drawn.
const formatters = new Map<
  string,
  { count: Intl.NumberFormat; one: Intl.NumberFormat; two: Intl.NumberFormat; time: Intl.DateTimeFormat; date: Intl.DateTimeFormat }
>();
function fmt() {
  const locale = formatLocale();
  let f = formatters.get(locale);
  if (!f) {
    f = {
      count: new Intl.NumberFormat(locale),
      one: new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }),
      two: new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
      // Times are shown in UTC, as the audit log records them, in the locale's own date and time order.
      time: new Intl.DateTimeFormat(locale, {
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        hourCycle: 'h23',
        timeZone: 'UTC',
        timeZoneName: 'short',
      }),
      date: new Intl.DateTimeFormat(locale, { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: 'UTC' }),
    };
    formatters.set(locale, f);
  }
  return f;
}

export function formatBytes(n: number): string {
  const f = fmt();
  if (n < 1024) return `${f.count.format(n)} B`;
  if (n < 1024 ** 2) return `${f.one.format(n / 1024)} KiB`;
  if (n < 1024 ** 3) return `${f.one.format(n / 1024 ** 2)} MiB`;
  return `${f.two.format(n / 1024 ** 3)} GiB`;
}

export function formatCount(n: number): string {
  return fmt().count.format(n);
}

/** A fraction with two decimals (confidences, scores) in the active locale. */
export function formatDecimal(n: number): string {
  return fmt().two.format(n);
}

/** A background task's progress line in the UI's language (the English label when the worker gave no key). */
export function progressLabel(p: { label: string; labelKey?: TranslationKey; labelValues?: Record<string, string | number> }): string {
  return p.labelKey ? i18n.t(p.labelKey, p.labelValues ?? {}) : p.label;
}

/** A calendar day (YYYY-MM-DD, as due dates and exceptions are stored) in the locale's order; other text as it is. */
export function formatDate(day: string): string {
  if (!/^\d{4}-\d\d-\d\d$/.test(day)) return day;
  const d = new Date(`${day}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? day : fmt().date.format(d);
}

export function formatTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : fmt().time.format(d);
}

/** A digest shown short, full on hover, copied on click. */
export function Digest({ value, chars = 12 }: { value: string; chars?: number }) {
  const { t } = useTranslation();
  const hex = value.replace(/^(sha256:|SHA256:)/, '');
  return (
    <CopyButton value={value}>
      {({ copied, copy }) => (
        <Tooltip label={copied ? t('common.copied') : value} maw={560} multiline>
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
  const { t } = useTranslation();
  return (
    <Badge size="sm" variant="light" color={TIER_COLORS[tier]}>
      {t(`enums.tier.${tier}`)}
    </Badge>
  );
}

/** An action in words: the engine's 'none' reads "no suggestion", never as an action to take. */
export function actionLabel(action: SuggestedAction | string): string {
  return action === 'none' ? i18n.t('enums.noSuggestion') : i18n.t(`enums.action.${action as SuggestedAction}`, { defaultValue: action });
}

export function ActionText({ action }: { action: SuggestedAction | string }) {
  const { t } = useTranslation();
  if (action === 'none')
    return (
      <span style={{ color: 'var(--mantine-color-dimmed)', fontStyle: 'italic' }} data-action="none">
        {t('enums.noSuggestion')}
      </span>
    );
  const color = action === 'keep' ? 'var(--mantine-color-dimmed)' : 'var(--mantine-color-red-text)';
  return (
    <span style={{ color, fontWeight: action === 'keep' ? 400 : 600 }}>
      {action === 'keep' ? t('enums.action.keep') : t(`enums.action.${action as SuggestedAction}`, { defaultValue: action }).toUpperCase()}
    </span>
  );
}
