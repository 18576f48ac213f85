// German: the Export screen (signed certification package, trust list).
import type { Translation } from '../types';
import type { exportScreen as en } from '../en/export';

export const exportScreen: Translation<typeof en> = {
  saved: 'Signiertes Paket gespeichert',
  failed: 'Export fehlgeschlagen: {{message}}',
  trustFailed: 'Vertrauensliste nicht exportiert: {{problems}}',
  trustSaved: 'Vertrauensliste gespeichert',
  trustSavedBody: '{{count}} Schlüssel: {{names}}',
  title: 'Signiertes Zertifizierungspaket',
  campaign: 'Kampagne',
  exportPackage: 'Signiertes Paket exportieren…',
  trustHint:
    'Für die Prüfung: die öffentlichen Schlüssel aller Prüfer und Freigebenden in einer Datei, zu laden mit „Vertrauenswürdige Schlüssel laden…“',
  exportTrust: 'Vertrauensliste exportieren…',
  summary:
    '{{decided}} von {{items}} Einträgen entschieden · {{percent}} % · {{pending}} Freigabe ausstehend · {{escalated}} eskaliert · {{open}} offen',
  decided: 'Entschieden',
  signedBy: 'Signiert von allen Prüfern, deren Entscheidungen es enthält: {{names}}',
  nobody: 'noch niemand',
  undecided:
    '{{n}} Einträge haben keine abschließende Entscheidung. Das Paket führt sie auf, und eine Verifizierung meldet es als unvollständig.',
  contents:
    'Das Archiv enthält die Entscheidungen (JSON und CSV), einen Excel-Bericht, das hashverkettete Audit-Log, die Richtlinie, die Importnachweise, einen Maßnahmenplan und ein in-toto-Manifest mit dem SHA-256 jeder Datei, signiert als DSSE-Umschlag mit Ed25519.',
  signed: 'signiert',
  size: 'Größe',
  manifest: 'Manifest-SHA-256',
  items: 'Einträge',
  itemsLine:
    '{{items}} Einträge · {{decided}} entschieden · {{overridden}} abweichend entschieden · {{approved}} von einer zweiten Person freigegeben · {{open}} ohne abschließende Entscheidung',
  signer: 'Signierende(r)',
  seconds: '{{value}} s',
  progressAria: 'Exportfortschritt',
  builtIn: 'Erstellt in',
};
