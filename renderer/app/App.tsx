import '@mantine/core/styles.css';
import '@mantine/dropzone/styles.css';
import '@mantine/notifications/styles.css';
import '@mantine/charts/styles.css';
import './app.css';
import {
  AppShell,
  Badge,
  Group,
  MantineProvider,
  Menu,
  Progress,
  Tabs,
  Text,
  Tooltip,
  UnstyledButton,
  useMantineColorScheme,
  Button,
} from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { IconChevronDown, IconShieldCheck } from '@tabler/icons-react';
import { Component, type ReactNode } from 'react';
import { useSnapshots, useCampaigns } from '../backend';
import { ImportScreen } from '../features/import';
import { CampaignsScreen } from '../features/campaigns';
import { ReviewScreen } from '../features/review';
import { ExportScreen } from '../features/export';
import { VerifyScreen } from '../features/verify';
import { SettingsScreen, ReviewerOnboarding } from '../features/settings';
import { WorkbenchProvider, useWorkbench, type Screen } from '../session';
import { KeyUnlockDialog } from '../session';
import { formatCount, progressLabel } from '../components';
import { i18n, useTranslation } from '../i18n';
import { cssVariablesResolver, theme } from './theme';
import { useShortcuts } from '../session';

const SCREENS: { id: Screen; key: string }[] = [
  { id: 'import', key: '1' },
  { id: 'campaigns', key: '2' },
  { id: 'review', key: '3' },
  { id: 'export', key: '4' },
  { id: 'verify', key: '5' },
  { id: 'settings', key: '6' },
];

export function App() {
  return (
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} defaultColorScheme="light">
      <Notifications position="bottom-right" limit={4} />
      <ErrorBoundary>
        <WorkbenchProvider>
          <Shell />
        </WorkbenchProvider>
      </ErrorBoundary>
    </MantineProvider>
  );
}

function Shell() {
  const wb = useWorkbench();
  const { t } = useTranslation();
  useShortcuts(
    SCREENS.map((s) => [`alt+${s.key}`, () => wb.setScreen(s.id)]),
    { inDialog: true },
  );
  return (
    <AppShell header={{ height: 84 }} footer={{ height: 30 }} padding="md">
      <AppShell.Header>
        <Group justify="space-between" px="md" h={44}>
          <Group gap={8}>
            <IconShieldCheck size={20} />
            <Text fw={700}>{t('shell.productName')}</Text>
          </Group>
          <Group gap="sm">
            <ReviewerSwitch />
            <ThemeToggle />
            <Tooltip label={t('shell.offlineHint')}>
              <Badge variant="dot" color="teal">
                {t('shell.offline')}
              </Badge>
            </Tooltip>
          </Group>
        </Group>
        <Tabs value={wb.screen} onChange={(v) => v && wb.setScreen(v as Screen)} px="md">
          <Tabs.List>
            {SCREENS.map((s) => (
              <Tabs.Tab key={s.id} value={s.id} title={`Alt+${s.key}`}>
                {t(`shell.screens.${s.id}`)}
              </Tabs.Tab>
            ))}
          </Tabs.List>
        </Tabs>
      </AppShell.Header>
      <AppShell.Main>
        {wb.screen === 'import' && <ImportScreen />}
        {wb.screen === 'campaigns' && <CampaignsScreen />}
        {wb.screen === 'review' && <ReviewScreen />}
        {wb.screen === 'export' && <ExportScreen />}
        {wb.screen === 'verify' && <VerifyScreen />}
        {wb.screen === 'settings' && <SettingsScreen />}
      </AppShell.Main>
      <AppShell.Footer>
        <StatusBar />
      </AppShell.Footer>
      <ReviewerOnboarding />
      <KeyUnlockDialog />
    </AppShell>
  );
}

function ReviewerSwitch() {
  const wb = useWorkbench();
  const { t } = useTranslation();
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <UnstyledButton data-testid="reviewer-switch" aria-label={t('shell.activeReviewer')}>
          <Group gap={4}>
            <Text size="sm" c="dimmed">
              {t('shell.reviewerLabel')}
            </Text>
            <Text size="sm" fw={600}>
              {wb.activeReviewer?.name ?? t('shell.noReviewer')}
            </Text>
            <IconChevronDown size={14} />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{t('shell.switchReviewer')}</Menu.Label>
        {(wb.reviewers ?? [])
          .filter((r) => !r.remote)
          .map((r) => (
            <Menu.Item key={r.id} onClick={() => void wb.switchReviewer(r.id)} rightSection={r.id === wb.activeReviewer?.id ? '●' : null}>
              {r.name}
            </Menu.Item>
          ))}
        <Menu.Divider />
        <Menu.Item onClick={() => wb.setScreen('settings')}>{t('shell.manageProfiles')}</Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

function ThemeToggle() {
  const { colorScheme, toggleColorScheme } = useMantineColorScheme();
  const { t } = useTranslation();
  return (
    <Button size="compact-xs" variant="subtle" onClick={toggleColorScheme} aria-label={t('shell.toggleDark')} data-testid="theme-toggle">
      {colorScheme === 'dark' ? t('settings.theme.light') : t('settings.theme.dark')}
    </Button>
  );
}

function StatusBar() {
  const wb = useWorkbench();
  const snapshots = useSnapshots();
  const campaigns = useCampaigns();
  const { t } = useTranslation();
  const campaign = campaigns?.find((c) => c.id === wb.campaignId);
  const snapshot = snapshots?.find((s) => s.id === campaign?.snapshotId) ?? snapshots?.[0];
  return (
    <Group h="100%" px="md" justify="space-between" wrap="nowrap" className="status-bar">
      <Text size="xs" c="dimmed" truncate>
        {snapshot ? (
          <Tooltip label={snapshot.sources.map((s) => `${s.file} sha256:${s.sha256}`).join('\n')} multiline maw={600}>
            <span>
              {t('shell.status.snapshot', {
                name: snapshot.name,
                sources: snapshot.sources.length,
                assignments: formatCount(snapshot.counts.assignments),
              })}
            </span>
          </Tooltip>
        ) : (
          t('shell.status.noSnapshot')
        )}
        {' · '}
        <Tooltip label={wb.policyDigest}>
          <span>{t('shell.status.policy', { version: wb.policy.version, digest: wb.policyDigest.slice(7, 19) })}</span>
        </Tooltip>
        {campaign ? ` · ${t('shell.status.campaign', { name: campaign.name })}` : ''}
      </Text>
      {wb.task && (
        <Group gap={6} wrap="nowrap" w={360} data-testid="background-task">
          <Text size="xs" truncate>
            {progressLabel(wb.task.progress)}
          </Text>
          <Progress
            value={wb.task.progress.total ? (100 * wb.task.progress.done) / wb.task.progress.total : 0}
            w={120}
            size="sm"
            aria-label={wb.task.progress.label}
          />
          {wb.task.cancel && (
            <Button size="compact-xs" variant="subtle" color="red" onClick={wb.task.cancel}>
              {t('common.cancel')}
            </Button>
          )}
        </Group>
      )}
    </Group>
  );
}

class ErrorBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  override state = { error: null as Error | null };
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  override render() {
    if (this.state.error)
      return (
        <div style={{ padding: 24 }}>
          <h2>{i18n.t('shell.error.title')}</h2>
          <p>{i18n.t('shell.error.body')}</p>
          <pre>{this.state.error.message}</pre>
          <button onClick={() => location.reload()}>{i18n.t('shell.error.reload')}</button>
        </div>
      );
    return this.props.children;
  }
}
