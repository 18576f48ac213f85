// Where a revoke (or reduce) of inherited access is carried out: the links of its path that can be cut, each with
// its blast radius (who else loses what through that link), shown before the decision is recorded. The options
// and their losses come from shared/review through the campaign worker; this only shows them and sends the choice.
import type { CSSProperties } from 'react';
import type { RemediationLinkKind } from '../../../shared/review';
import { useTranslation } from '../../i18n';
import type { RemediationView } from '../../workers';

interface Props {
  options: readonly RemediationView[];
  chosen: RemediationLinkKind;
  onChoose: (kind: RemediationLinkKind) => void;
}

const small: CSSProperties = { fontSize: 'var(--mantine-font-size-xs)' };
/** Identities listed per option; the rest are counted. */
const SHOWN = 4;

export function RemediationChoice({ options, chosen, onChoose }: Props) {
  const { t } = useTranslation();
  return (
    <fieldset
      data-testid="remediation"
      style={{ border: '1px solid var(--mantine-color-default-border)', borderRadius: 4, padding: '4px 8px', margin: 0 }}
    >
      <legend style={{ ...small, fontWeight: 700, padding: '0 4px' }}>{t('review.cut.title')}</legend>
      {options.map((o) => {
        const id = `cut-${o.link.kind}`;
        const byWho = new Map<string, string[]>();
        for (const l of o.lossNames) byWho.set(l.who, [...(byWho.get(l.who) ?? []), l.what]);
        const lines = [...byWho].slice(0, SHOWN);
        const listed = lines.reduce((n, [, what]) => n + what.length, 0);
        return (
          <div key={o.link.kind} data-testid={id} style={{ marginBottom: 4 }}>
            <label htmlFor={id} style={{ display: 'flex', gap: 6, alignItems: 'baseline', fontSize: 'var(--mantine-font-size-sm)' }}>
              <input type="radio" id={id} name="remediation-cut" checked={o.link.kind === chosen} onChange={() => onChoose(o.link.kind)} />
              <span>
                {t(`review.cut.${o.link.kind}`, { member: o.memberName, group: o.groupName })}{' '}
                <b data-testid="blast-radius">
                  {t('review.cut.radius', {
                    identities: t('review.cut.identities', { count: o.link.blastRadius.identities }),
                    entitlements: t('review.cut.entitlements', { count: o.link.blastRadius.entitlements }),
                  })}
                </b>
              </span>
            </label>
            <div style={{ ...small, marginLeft: 22 }}>
              {!o.removesItem && (
                <div style={{ color: 'var(--mantine-color-orange-text)' }} data-testid="cut-keeps-item">
                  {t('review.cut.keepsItem')}
                </div>
              )}
              {lines.map(([who, what]) => (
                <div key={who}>{t('review.cut.loses', { who, what: what.join(', ') })}</div>
              ))}
              {o.lossCount > listed && <div>{t('review.cut.more', { count: o.lossCount - listed })}</div>}
            </div>
          </div>
        );
      })}
    </fieldset>
  );
}
