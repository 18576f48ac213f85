// The decision controls of the detail pane, kept in view at the bottom of the pane (never below its fold): accept,
// override with an applicable action, the reason category and the rationale, the owner of an assign-owner, the
// date of a time-bound exception; for a step-up item decided by someone else, the approver's own form.
// It holds no rules: which actions apply and what a rationale needs come from shared/review through its props.
import { Alert, Autocomplete, Button, Group, Select, Text, TextInput, Textarea } from '@mantine/core';
import { forwardRef, memo } from 'react';
import { REASON_CATEGORIES, type DecisionAction, type ItemDecision, type ReasonCategory } from '../../../shared/review';
import type { SuggestedAction } from '../../../shared/suggest';
import { chosenCut, type DecisionDraft } from './decision-draft';
import { RemediationChoice } from './RemediationChoice';
import type { RemediationView } from '../../workers';
import { i18n, useTranslation } from '../../i18n';

export interface DecisionFormProps {
  suggested: SuggestedAction;
  /** Actions an override may choose for this item (from shared/review). */
  overrideActions: readonly DecisionAction[];
  draft: DecisionDraft;
  setDraft: (d: DecisionDraft) => void;
  error: string | null;
  /** Told, not warned: shown in a neutral box (an error takes its place). */
  notice?: string | null;
  saving: boolean;
  /** A decision by someone else waiting for this reviewer's step-up approval. */
  approving: ItemDecision | null;
  /** Whether the approver must give a rationale (never-delegate). */
  approverRationaleRequired: boolean;
  /** Owners offered for assign-owner (identity ids with a label). */
  ownerCandidates: { value: string; label: string }[];
  /** Who a "can't decide" goes to, by name. */
  escalationName: string | null;
  onAccept: () => void;
  onSaveOverride: () => void;
  onApprove: () => void;
  onReject: () => void;
  overrideSelectRef: React.Ref<HTMLInputElement>;
  /** The item's standing decision in one line (kept in view with the controls); null when there is none. */
  standing: { text: string; tone: 'decided' | 'pending' } | null;
  /** Inherited access: the links a revoke could cut, with their blast radius (absent while loading or direct). */
  remediation?: readonly RemediationView[] | undefined;
}

const actionLabel = (a: DecisionAction) => (a === 'cant-decide' ? i18n.t('review.form.cantDecide') : i18n.t(`enums.action.${a}`));

export const DecisionForm = memo(
  forwardRef<HTMLTextAreaElement, DecisionFormProps>(function DecisionForm(p, rationaleRef) {
    const { draft, setDraft } = p;
    const { t } = useTranslation();
    const effective = draft.mode === 'override' ? draft.action : p.suggested;
    const cut = effective === 'none' ? undefined : chosenCut(p.remediation, effective, draft.cut);
    const onKeyDown = (e: React.KeyboardEvent<HTMLTextAreaElement>) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        if (p.approving) p.onApprove();
        else if (draft.mode === 'override') p.onSaveOverride();
        else p.onAccept();
      }
      if (e.key === 'Escape') e.currentTarget.blur();
    };
    const reason = (
      <Select
        size="xs"
        w={190}
        aria-label={t('review.form.reasonCategory')}
        data-testid="reason-category"
        placeholder={t('review.form.reasonPlaceholder')}
        data={REASON_CATEGORIES.map((c) => ({ value: c, label: t(`enums.reason.${c}`) }))}
        value={draft.reasonCategory}
        onChange={(v) => setDraft({ ...draft, reasonCategory: (v as ReasonCategory | null) ?? null })}
        comboboxProps={{ withinPortal: true }}
        clearable
      />
    );
    const errorBox = p.error ? (
      <Alert color="red" py={6} data-testid="decision-error" role="alert">
        {p.error}
      </Alert>
    ) : (
      p.notice && (
        <Alert color="gray" py={6} data-testid="decision-notice" role="status">
          {p.notice}
        </Alert>
      )
    );
    const standing = p.standing && (
      <Text size="xs" fw={600} c={p.standing.tone === 'decided' ? 'teal.8' : 'orange.8'} data-testid="standing-line">
        {p.standing.text}
      </Text>
    );
    if (p.approving)
      return (
        <div className="decision-actions" data-testid="approval-form">
          <Text size="sm" fw={600}>
            {t('review.form.stepUpBefore', { name: p.approving.reviewer.name })} <b>{t(`enums.action.${p.approving.action}`)}</b>
            {t('review.form.stepUpAfter')}
          </Text>
          <Group gap="xs" wrap="nowrap">
            {reason}
            <Text size="xs" c="dimmed">
              {p.approverRationaleRequired ? t('review.form.neverDelegate') : t('review.form.approverRationale')}
            </Text>
          </Group>
          <Textarea
            ref={rationaleRef}
            data-testid="rationale"
            aria-label={t('review.form.approverRationaleLabel')}
            placeholder={t('review.form.approverPlaceholder')}
            rows={2}
            value={draft.rationale}
            onChange={(e) => setDraft({ ...draft, rationale: e.currentTarget.value })}
            onKeyDown={onKeyDown}
          />
          <Group gap="xs">
            <Button size="sm" color="teal" onClick={p.onApprove} loading={p.saving} data-testid="approve">
              {t('review.form.approve')}
            </Button>
            <Button size="sm" variant="light" color="red" onClick={p.onReject} disabled={p.saving} data-testid="reject">
              {t('review.form.reject', { name: p.approving.reviewer.name })}
            </Button>
          </Group>
          {errorBox}
        </div>
      );
    return (
      <div className="decision-actions" data-testid="decision-form">
        {standing}
        {/* Wraps rather than clips when a language's words are longer. */}
        <Group gap="xs" wrap="wrap">
          {p.suggested === 'none' ? (
            <Text size="sm" c="dimmed">
              {t('review.form.noSuggestion')}
            </Text>
          ) : (
            <Button size="sm" onClick={p.onAccept} loading={p.saving && draft.mode === 'accept'} data-testid="accept">
              {t('review.form.accept', { action: t(`enums.action.${p.suggested}`) })} <kbd style={{ marginLeft: 6 }}>a</kbd>
            </Button>
          )}
          <Select
            ref={p.overrideSelectRef}
            size="sm"
            aria-label={t('review.form.overrideWith')}
            data-testid="override-action"
            w={200}
            data={p.overrideActions.map((a) => ({ value: a, label: actionLabel(a) }))}
            value={draft.mode === 'override' ? draft.action : null}
            placeholder={t('review.form.overridePlaceholder')}
            onChange={(v) => v && setDraft({ ...draft, mode: 'override', action: v as DecisionAction })}
            comboboxProps={{ withinPortal: true }}
          />
          <Button
            size="sm"
            variant="light"
            color="orange"
            onClick={p.onSaveOverride}
            disabled={draft.mode !== 'override'}
            loading={p.saving && draft.mode === 'override'}
            data-testid="save-override"
          >
            {t('review.form.saveOverride')}
          </Button>
        </Group>
        <Group gap="xs" wrap="nowrap">
          {reason}
          {effective === 'keep' && (
            <TextInput
              size="xs"
              type="date"
              w={170}
              aria-label={t('review.form.keepUntil')}
              data-testid="keep-until"
              value={draft.keepUntil}
              onChange={(e) => {
                const keepUntil = e.currentTarget.value;
                setDraft({
                  ...draft,
                  keepUntil,
                  ...(keepUntil && !draft.reasonCategory ? { reasonCategory: 'time-bound-exception' as const } : {}),
                });
              }}
            />
          )}
          {effective === 'keep' && (
            <Text size="xs" c="dimmed">
              {t('review.form.keepUntilHint')}
            </Text>
          )}
          {effective === 'assign-owner' && (
            <Autocomplete
              size="xs"
              w={260}
              aria-label={t('review.form.newOwner')}
              data-testid="owner"
              placeholder={t('review.form.ownerPlaceholder')}
              data={p.ownerCandidates}
              value={draft.ownerId}
              onChange={(v) => setDraft({ ...draft, ownerId: v })}
              comboboxProps={{ withinPortal: true }}
            />
          )}
          {effective === 'cant-decide' && (
            <Text size="xs" c="orange" data-testid="escalation-target">
              {t('review.form.escalatesTo', { name: p.escalationName ?? t('review.detail.campaignOwner') })}
            </Text>
          )}
        </Group>
        {cut && (
          <RemediationChoice options={p.remediation!} chosen={cut.link.kind} onChoose={(kind) => setDraft({ ...draft, cut: kind })} />
        )}
        <Textarea
          ref={rationaleRef}
          data-testid="rationale"
          aria-label={t('review.form.rationale')}
          placeholder={t('review.form.rationalePlaceholder')}
          rows={2}
          value={draft.rationale}
          onChange={(e) => setDraft({ ...draft, rationale: e.currentTarget.value })}
          onKeyDown={onKeyDown}
        />
        {errorBox}
      </div>
    );
  }),
);
