// App-wide state: the active reviewer, the policy in force, the selected campaign, and background work.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { DEFAULT_POLICY, parsePolicy, policyDigest, type Policy } from '../../shared/suggest';
import type { ReviewerRef } from '../../shared/review';
import { command, getSetting, putSetting, useReviewers, type ReviewerRecord } from '../backend';
import type { TaskProgress } from '../backend';
import { getHost } from '../host';
import { loadScreen, saveScreen } from './screen-memory';
import { unlockForSwitch } from './key-unlock';
import type { PickedFile } from '../../shared/contracts';

export const SCREENS = ['import', 'campaigns', 'review', 'export', 'verify', 'settings'] as const;
export type Screen = (typeof SCREENS)[number];

export interface BackgroundTask {
  id: string;
  progress: TaskProgress;
  cancel?: () => void;
}

interface WorkbenchState {
  screen: Screen;
  setScreen(screen: Screen): void;
  reviewers: ReviewerRecord[] | undefined;
  activeReviewer: ReviewerRecord | null;
  /** Makes a profile active without asking (a profile just created, its key just opened). */
  setActiveReviewer(id: string): Promise<void>;
  /** Explicit switch: the new reviewer's passphrase, then the previous reviewer's key is locked. False on Cancel. */
  switchReviewer(id: string): Promise<boolean>;
  reviewerRef: ReviewerRef | null;
  policy: Policy;
  policyDigest: string;
  /** The stored policy has been read (until then `policy` is the default, which no campaign may be created with). */
  policyReady: boolean;
  /** Puts a validated policy in force for new campaigns (campaigns keep the policy they were built with). */
  setPolicy(policy: Policy): Promise<void>;
  campaignId: string | null;
  setCampaignId(id: string | null): void;
  task: BackgroundTask | null;
  setTask(task: BackgroundTask | null): void;
  /** A package handed to the app at launch ("open with", command line): opened read-only in Verify. */
  launchPackage: PickedFile | null;
  /** Single-key shortcuts (j, a, o, ?…) are on; off, only keys with a modifier act (WCAG 2.1.4). Persisted. */
  singleKeyShortcuts: boolean;
  setSingleKeyShortcuts(on: boolean): void;
}

const Context = createContext<WorkbenchState | null>(null);

export function WorkbenchProvider({ children }: { children: ReactNode }) {
  const [screen, setScreenState] = useState<Screen>(() => loadScreen(SCREENS, 'import'));
  const setScreen = useCallback((s: Screen) => {
    setScreenState(s);
    saveScreen(s);
  }, []);
  const reviewers = useReviewers();
  const [activeId, setActiveId] = useState<string | null>(null);
  const [campaignId, setCampaignIdState] = useState<string | null>(null);
  const [task, setTask] = useState<BackgroundTask | null>(null);
  const [policy, setPolicyState] = useState<Policy>(DEFAULT_POLICY);
  const [policyReady, setPolicyReady] = useState(false);
  const [launchPackage, setLaunchPackage] = useState<PickedFile | null>(null);
  const [singleKeyShortcuts, setSingleKeysState] = useState(true);

  useEffect(() => {
    void command('removeIncompleteSnapshots');
    void getSetting<string>('activeReviewer').then((id) => setActiveId(id ?? null));
    void getSetting<string>('activeCampaign').then((id) => setCampaignIdState(id ?? null));
    void getSetting<boolean>('singleKeyShortcuts').then((on) => setSingleKeysState(on !== false));
    void getSetting<unknown>('policy')
      .then((stored) => {
        if (stored === undefined) return;
        const parsed = parsePolicy(stored);
        if (parsed.ok) setPolicyState(parsed.policy);
      })
      .finally(() => setPolicyReady(true));
    void getHost()
      .takeLaunchFile()
      .then((r) => {
        if (r.ok && r.value) {
          setLaunchPackage(r.value);
          // Opened with a package: Verify for this launch only (not remembered as the screen to return to).
          setScreenState('verify');
        }
      });
  }, []);

  const setActiveReviewer = useCallback(async (id: string) => {
    await putSetting('activeReviewer', id);
    setActiveId(id);
  }, []);
  const activeKeyId = reviewers?.find((r) => r.id === activeId)?.keyId ?? null;
  const switchReviewer = useCallback(
    async (id: string) => {
      const next = reviewers?.find((r) => r.id === id && !r.remote);
      if (!next) return false;
      if (id === activeId) return true;
      if (!(await unlockForSwitch(next, activeKeyId))) return false;
      await putSetting('activeReviewer', id);
      setActiveId(id);
      return true;
    },
    [reviewers, activeId, activeKeyId],
  );
  const setPolicy = useCallback(async (next: Policy) => {
    await command('putSettings', {
      entries: [
        [`policy:${policyDigest(next)}`, next],
        ['policy', next],
      ],
    });
    setPolicyState(next);
  }, []);
  const setSingleKeyShortcuts = useCallback((on: boolean) => {
    setSingleKeysState(on);
    void putSetting('singleKeyShortcuts', on);
  }, []);
  const setCampaignId = useCallback((id: string | null) => {
    setCampaignIdState(id);
    void putSetting('activeCampaign', id);
  }, []);

  const activeReviewer = reviewers?.find((r) => r.id === activeId && !r.remote) ?? null;
  const value = useMemo<WorkbenchState>(
    () => ({
      screen,
      setScreen,
      reviewers,
      activeReviewer,
      setActiveReviewer,
      switchReviewer,
      reviewerRef: activeReviewer
        ? {
            id: activeReviewer.id,
            name: activeReviewer.name,
            ...(activeReviewer.email ? { email: activeReviewer.email } : {}),
            keyFingerprint: activeReviewer.fingerprint,
          }
        : null,
      policy,
      policyDigest: policyDigest(policy),
      policyReady,
      setPolicy,
      campaignId,
      setCampaignId,
      task,
      setTask,
      launchPackage,
      singleKeyShortcuts,
      setSingleKeyShortcuts,
    }),
    [
      screen,
      setScreen,
      reviewers,
      activeReviewer,
      setActiveReviewer,
      switchReviewer,
      policy,
      policyReady,
      setPolicy,
      campaignId,
      setCampaignId,
      task,
      launchPackage,
      singleKeyShortcuts,
      setSingleKeyShortcuts,
    ],
  );
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useWorkbench(): WorkbenchState {
  const ctx = useContext(Context);
  if (!ctx) throw new Error('useWorkbench outside WorkbenchProvider');
  return ctx;
}
