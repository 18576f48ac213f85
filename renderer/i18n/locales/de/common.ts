// German: the strings shared by all screens, the enumerations shown in the UI, and the shell.
import type { Translation } from '../types';
import type { common as enCommon, enums as enEnums, progress as enProgress, shell as enShell } from '../en/common';

export const common: Translation<typeof enCommon> = {
  cancel: 'Abbrechen',
  close: 'Schließen',
  back: 'Zurück',
  copied: 'kopiert',
  none: 'keine',
  noneYet: 'Noch keine.',
  dash: '—',
  unknown: 'unbekannt',
  never: 'nie',
  yes: 'ja',
  no: 'nein',
};

export const enums: Translation<typeof enEnums> = {
  noSuggestion: 'kein Vorschlag',
  tier: { low: 'niedrig', medium: 'mittel', high: 'hoch', critical: 'kritisch' },
  privilege: { low: 'niedrig', medium: 'mittel', high: 'hoch', critical: 'kritisch' },
  action: { keep: 'behalten', revoke: 'entziehen', rotate: 'rotieren', 'disable-login': 'Anmeldung sperren', 'assign-owner': 'Verantwortlichen zuweisen', reduce: 'reduzieren', none: 'kein Vorschlag', 'cant-decide': 'nicht entscheidbar' },
  status: { open: 'offen', escalated: 'eskaliert', 'pending approval': 'Freigabe ausstehend', decided: 'entschieden' },
  identityType: { human: 'Person', service: 'Dienst', workload: 'Workload', agent: 'Agent', system: 'System' },
  identityStatus: { active: 'aktiv', disabled: 'deaktiviert', terminated: 'ausgeschieden', suspended: 'gesperrt', 'never-activated': 'nie aktiviert' },
  decisionClass: { suggest: 'Vorschlag', 'step-up': 'Vier-Augen', 'never-delegate': 'nie delegieren' },
  event: { 'campaign-created': 'Kampagne angelegt', decision: 'Entscheidung', undo: 'Rücknahme', approval: 'Freigabe', reject: 'zurückgewiesen', reclassification: 'Neuklassifizierung', note: 'Notiz' },
  reason: { 'business-need': 'Geschäftlicher Bedarf', 'owner-confirmed': 'Vom Verantwortlichen bestätigt', 'compensating-control': 'Kompensierende Kontrolle', 'time-bound-exception': 'Befristete Ausnahme', 'leaver-mover': 'Austritt / Wechsel', other: 'Sonstiges' },
};

export const shell: Translation<typeof enShell> = {
  productName: 'Access Review Workbench',
  offline: 'offline',
  offlineHint: 'Die Workbench nutzt nie ein Netzwerk: Alles bleibt auf diesem Rechner.',
  screens: { import: 'Import', campaigns: 'Kampagnen', review: 'Prüfung', export: 'Export', verify: 'Verifizieren', settings: 'Einstellungen' },
  activeReviewer: 'Aktiver Prüfer',
  reviewerLabel: 'Prüfer:',
  noReviewer: 'keiner',
  switchReviewer: 'Prüfer wechseln (ausdrücklich)',
  manageProfiles: 'Profile verwalten…',
  toggleDark: 'Dunkelmodus umschalten',
  status: {
    snapshot: 'Snapshot: {{name}} ({{sources}} Quellen, {{assignments}} Zuweisungen)',
    noSnapshot: 'noch kein Snapshot importiert',
    policy: 'Richtlinie v{{version}} ({{digest}}…)',
    campaign: 'Kampagne: {{name}}',
  },
  error: {
    title: 'Etwas ist schiefgelaufen',
    body: 'Ihre Entscheidungen werden gespeichert, sobald sie getroffen sind; ein Neuladen des Fensters verliert nichts, was als gespeichert angezeigt wurde.',
    reload: 'Neu laden',
  },
  unlock: {
    switchTitle: 'Prüfer wechseln',
    signTitle: 'Passphrase zum Signieren erforderlich',
    switchBody: 'Entscheidungen werden ab jetzt als <b>{{who}}</b> aufgezeichnet und signiert. Nur diese Person sollte ihre Passphrase eingeben; der Schlüssel des bisherigen Prüfers wird gesperrt.',
    signBody: 'Der Signaturschlüssel von <b>{{who}}</b> ist durch deren Passphrase geschützt. Er wird nur für diese Sitzung geöffnet; nur diese Person sollte sie eingeben.',
    passphrase: 'Passphrase',
    switchSubmit: 'Entsperren und wechseln',
    signSubmit: 'Entsperren und signieren',
    cancelled: 'Signieren abgebrochen: Die Passphrase wurde nicht eingegeben',
  },
};

export const progress: Translation<typeof enProgress> = {
  readingSheet: '{{file}} wird gelesen ({{sheet}})',
  parsing: '{{file}} wird analysiert',
  reading: '{{file}} wird gelesen',
  merging: 'Quellen werden zusammengeführt',
  storingSnapshot: 'Snapshot wird gespeichert',
  collecting: 'Entscheidungen werden gesammelt',
  building: 'Paket wird erstellt und signiert',
  done: 'Fertig',
  verifying: 'Paket wird verifiziert',
  loadingSnapshot: 'Snapshot wird geladen',
  computing: 'Vorschläge werden berechnet',
  storingSuggestions: 'Vorschläge werden gespeichert',
  storingCampaign: 'Kampagne wird gespeichert',
  assigning: 'Prüfer werden zugewiesen',
  preparing: 'Prüftabelle wird vorbereitet',
  signingWork: 'Arbeitspaket für {{name}} wird signiert',
  workSigned: 'Arbeitspakete signiert',
  verifyMerge: 'Entscheidungssätze werden verifiziert und zusammengeführt',
  signingApproval: 'Freigabepaket für {{name}} wird signiert',
  mergingSets: 'Entscheidungssätze werden zusammengeführt',
  buildingCert: 'Zertifizierungspaket wird erstellt und signiert',
  verifyingFile: '{{file}} wird verifiziert',
  openingWork: 'Arbeitspaket wird als lokale Kampagne geöffnet',
  signingSet: 'Entscheidungssatz wird signiert',
  rows: '{{n}} Zeilen',
  unit: { rows: 'Zeilen', bytes: 'Bytes', items: 'Einträge', chunks: 'Blöcke', files: 'Dateien' },
};
