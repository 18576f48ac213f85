// English: the strings shared by all screens, the enumerations shown in the UI, and the shell.
export const common = {
  cancel: 'Cancel',
  close: 'Close',
  back: 'Back',
  copied: 'copied',
  none: 'none',
  noneYet: 'None yet.',
  dash: '—',
  unknown: 'unknown',
  never: 'never',
  yes: 'yes',
  no: 'no',
};

export const enums = {
  noSuggestion: 'no suggestion',
  tier: { low: 'low', medium: 'medium', high: 'high', critical: 'critical' },
  privilege: { low: 'low', medium: 'medium', high: 'high', critical: 'critical' },
  action: { keep: 'keep', revoke: 'revoke', rotate: 'rotate', 'disable-login': 'disable-login', 'assign-owner': 'assign-owner', reduce: 'reduce', none: 'no suggestion', 'cant-decide': "can't decide" },
  status: { open: 'open', escalated: 'escalated', 'pending approval': 'pending approval', decided: 'decided' },
  identityType: { human: 'human', service: 'service', workload: 'workload', agent: 'agent', system: 'system' },
  identityStatus: { active: 'active', disabled: 'disabled', terminated: 'terminated', suspended: 'suspended', 'never-activated': 'never activated' },
  decisionClass: { suggest: 'suggest', 'step-up': 'step-up', 'never-delegate': 'never-delegate' },
  reason: { 'business-need': 'Business need', 'owner-confirmed': 'Owner confirmed', 'compensating-control': 'Compensating control', 'time-bound-exception': 'Time-bound exception', 'leaver-mover': 'Leaver / mover', other: 'Other' },
};

export const shell = {
  productName: 'Access Review Workbench',
  offline: 'offline',
  offlineHint: 'The workbench never talks to a network: everything stays on this machine.',
  screens: { import: 'Import', campaigns: 'Campaigns', review: 'Review', export: 'Export', verify: 'Verify', settings: 'Settings' },
  activeReviewer: 'Active reviewer',
  reviewerLabel: 'reviewer:',
  noReviewer: 'none',
  switchReviewer: 'Switch reviewer (explicit)',
  manageProfiles: 'Manage profiles…',
  toggleDark: 'Toggle dark mode',
  status: {
    snapshot: 'snapshot: {{name}} ({{sources}} sources, {{assignments}} assignments)',
    noSnapshot: 'no snapshot imported yet',
    policy: 'policy v{{version}} ({{digest}}…)',
    campaign: 'campaign: {{name}}',
  },
  error: {
    title: 'Something went wrong',
    body: 'Your decisions are stored as they are made; reloading the window loses nothing that was shown as saved.',
    reload: 'Reload',
  },
  unlock: {
    switchTitle: 'Switch reviewer',
    signTitle: 'Passphrase needed to sign',
    switchBody: "Decisions from now on are recorded and signed as <b>{{who}}</b>. Only they should type their passphrase; the previous reviewer's key is locked.",
    signBody: 'The signing key of <b>{{who}}</b> is protected by their passphrase. It opens for this session only; only they should type it.',
    passphrase: 'Passphrase',
    switchSubmit: 'Unlock and switch',
    signSubmit: 'Unlock and sign',
    cancelled: 'signing cancelled: the passphrase was not given',
  },
};
