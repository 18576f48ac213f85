// The decision controls of the detail pane, kept in view at the bottom of the pane (never below its fold): accept,
// override with an applicable action, the reason category and the rationale, the owner of an assign-owner, the
// date of a time-bound exception; for a step-up item decided by someone else, the approver's own form.
// It holds no rules: which actions apply and what a rationale needs come from shared/review through its props.
import { Alert, Autocomplete, Button, Group, Select, Text, TextInput, Textarea } from '@mantine/core';
import { forwardRef, memo } from 'react';
import { REASON_CATEGORIES, REASON_CATEGORY_LABELS, type DecisionAction, type ItemDecision, type ReasonCategory } from '../../../shared/review';
import type { SuggestedAction } from '../../../shared/suggest';
import type { DecisionDraft } from './decision-draft';

export interface DecisionFormProps {
  suggested: SuggestedAction;
  /** Actions an override may choose for this item (from shared/review). */
  overrideActions: readonly DecisionAction[];
  draft: DecisionDraft;
  setDraft: (d: DecisionDraft) => void;
  error: string | null;
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
}

const actionLabel = (a: DecisionAction) => (a === 'cant-decide' ? "can't decide (escalate)" : a);

export const DecisionForm = memo(forwardRef<HTMLTextAreaElement, DecisionFormProps>(function DecisionForm(p, rationaleRef) {
  const { draft, setDraft } = p;
  const effective = draft.mode === 'override' ? draft.action : p.suggested;
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
      aria-label="Reason category"
      data-testid="reason-category"
      placeholder="reason category…"
      data={REASON_CATEGORIES.map((c) => ({ value: c, label: REASON_CATEGORY_LABELS[c] }))}
      value={draft.reasonCategory}
      onChange={(v) => setDraft({ ...draft, reasonCategory: (v as ReasonCategory | null) ?? null })}
      comboboxProps={{ withinPortal: true }}
      clearable
    />
  );
  const errorBox = p.error && (
    <Alert color="red" py={6} data-testid="decision-error" role="alert">
      {p.error}
    </Alert>
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
          Step-up approval: {p.approving.reviewer.name} decided <b>{p.approving.action}</b>. Approve it, or reject it back to them with a reason.
        </Text>
        <Group gap="xs" wrap="nowrap">
          {reason}
          <Text size="xs" c="dimmed">
            {p.approverRationaleRequired ? 'Never-delegate: your own rationale is required.' : 'Your rationale as approver (required to reject).'}
          </Text>
        </Group>
        <Textarea ref={rationaleRef} data-testid="rationale" aria-label="Approver rationale" placeholder="Your own reason as approver (r). Ctrl+Enter approves." rows={2} value={draft.rationale} onChange={(e) => setDraft({ ...draft, rationale: e.currentTarget.value })} onKeyDown={onKeyDown} />
        <Group gap="xs">
          <Button size="sm" color="teal" onClick={p.onApprove} loading={p.saving} data-testid="approve">
            Approve as second reviewer
          </Button>
          <Button size="sm" variant="light" color="red" onClick={p.onReject} disabled={p.saving} data-testid="reject">
            Reject — send back to {p.approving.reviewer.name}
          </Button>
        </Group>
        {errorBox}
      </div>
    );
  return (
    <div className="decision-actions" data-testid="decision-form">
      {standing}
      <Group gap="xs" wrap="nowrap">
        {p.suggested === 'none' ? (
          <Text size="sm" c="dimmed">no suggestion: choose a decision (o)</Text>
        ) : (
          <Button size="sm" onClick={p.onAccept} loading={p.saving && draft.mode === 'accept'} data-testid="accept">
            Accept {p.suggested} <kbd style={{ marginLeft: 6 }}>a</kbd>
          </Button>
        )}
        <Select
          ref={p.overrideSelectRef}
          size="sm"
          aria-label="Override with"
          data-testid="override-action"
          w={200}
          data={p.overrideActions.map((a) => ({ value: a, label: actionLabel(a) }))}
          value={draft.mode === 'override' ? draft.action : null}
          placeholder="override with… (o)"
          onChange={(v) => v && setDraft({ ...draft, mode: 'override', action: v as DecisionAction })}
          comboboxProps={{ withinPortal: true }}
        />
        <Button size="sm" variant="light" color="orange" onClick={p.onSaveOverride} disabled={draft.mode !== 'override'} loading={p.saving && draft.mode === 'override'} data-testid="save-override">
          Save override
        </Button>
      </Group>
      <Group gap="xs" wrap="nowrap">
        {reason}
        {effective === 'keep' && (
          <TextInput
            size="xs"
            type="date"
            w={170}
            aria-label="Keep until (time-bound exception)"
            data-testid="keep-until"
            value={draft.keepUntil}
            onChange={(e) => {
              const keepUntil = e.currentTarget.value;
              setDraft({ ...draft, keepUntil, ...(keepUntil && !draft.reasonCategory ? { reasonCategory: 'time-bound-exception' as const } : {}) });
            }}
          />
        )}
        {effective === 'keep' && (
          <Text size="xs" c="dimmed">
            keep until a date: a time-bound exception
          </Text>
        )}
        {effective === 'assign-owner' && (
          <Autocomplete size="xs" w={260} aria-label="New owner" data-testid="owner" placeholder="owner (identity id) — required" data={p.ownerCandidates} value={draft.ownerId} onChange={(v) => setDraft({ ...draft, ownerId: v })} comboboxProps={{ withinPortal: true }} />
        )}
        {effective === 'cant-decide' && (
          <Text size="xs" c="orange" data-testid="escalation-target">
            escalates to {p.escalationName ?? 'the campaign owner'}; the item stays open until they decide
          </Text>
        )}
      </Group>
      <Textarea
        ref={rationaleRef}
        data-testid="rationale"
        aria-label="Rationale"
        placeholder="Rationale (r): what you checked, specific to this access. Required for an override and for never-delegate items. Ctrl+Enter saves."
        rows={2}
        value={draft.rationale}
        onChange={(e) => setDraft({ ...draft, rationale: e.currentTarget.value })}
        onKeyDown={onKeyDown}
      />
      {errorBox}
    </div>
  );
}));
