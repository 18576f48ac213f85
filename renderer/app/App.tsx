import '@mantine/core/styles.css';
import '@mantine/dropzone/styles.css';
import '@mantine/notifications/styles.css';
import '@mantine/charts/styles.css';
import './app.css';
import { AppShell, Badge, Group, MantineProvider, Menu, Progress, Tabs, Text, Tooltip, UnstyledButton, createTheme, useMantineColorScheme, Button } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { useHotkeys } from '@mantine/hooks';
import { IconChevronDown, IconShieldCheck } from '@tabler/icons-react';
import { Component, type ReactNode } from 'react';
import { useSnapshots, useCampaigns } from '../db';
import { ImportScreen } from '../features/import';
import { CampaignsScreen } from '../features/campaigns';
import { ReviewScreen } from '../features/review';
import { ExportScreen } from '../features/export';
import { VerifyScreen } from '../features/verify';
import { SettingsScreen, ReviewerOnboarding } from '../features/settings';
import { WorkbenchProvider, useWorkbench, type Screen } from '../session';
import { KeyUnlockDialog } from '../session';

const theme = createTheme({
  primaryColor: 'indigo',
  defaultRadius: 'sm',
  fontFamily: 'Inter, "Segoe UI", system-ui, -apple-system, sans-serif',
  fontFamilyMonospace: '"JetBrains Mono", "SFMono-Regular", Menlo, Consolas, monospace',
  fontSizes: { xs: '11px', sm: '13px', md: '14px', lg: '16px', xl: '18px' },
});

const SCREENS: { id: Screen; label: string; key: string }[] = [
  { id: 'import', label: 'Import', key: '1' },
  { id: 'campaigns', label: 'Campaigns', key: '2' },
  { id: 'review', label: 'Review', key: '3' },
  { id: 'export', label: 'Export', key: '4' },
  { id: 'verify', label: 'Verify', key: '5' },
  { id: 'settings', label: 'Settings', key: '6' },
];

export function App() {
  return (
    <MantineProvider theme={theme} defaultColorScheme="light">
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
  useHotkeys(SCREENS.map((s) => [`alt+${s.key}`, () => wb.setScreen(s.id)]));
  return (
    <AppShell header={{ height: 84 }} footer={{ height: 30 }} padding="md">
      <AppShell.Header>
        <Group justify="space-between" px="md" h={44}>
          <Group gap={8}>
            <IconShieldCheck size={20} />
            <Text fw={700}>Access Review Workbench</Text>
          </Group>
          <Group gap="sm">
            <ReviewerSwitch />
            <ThemeToggle />
            <Tooltip label="The workbench never talks to a network: everything stays on this machine.">
              <Badge variant="dot" color="teal">
                offline
              </Badge>
            </Tooltip>
          </Group>
        </Group>
        <Tabs value={wb.screen} onChange={(v) => v && wb.setScreen(v as Screen)} px="md">
          <Tabs.List>
            {SCREENS.map((s) => (
              <Tabs.Tab key={s.id} value={s.id} title={`Alt+${s.key}`}>
                {s.label}
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
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <UnstyledButton data-testid="reviewer-switch" aria-label="Active reviewer">
          <Group gap={4}>
            <Text size="sm" c="dimmed">
              reviewer:
            </Text>
            <Text size="sm" fw={600}>
              {wb.activeReviewer?.name ?? 'none'}
            </Text>
            <IconChevronDown size={14} />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>Switch reviewer (explicit)</Menu.Label>
        {(wb.reviewers ?? []).filter((r) => !r.remote).map((r) => (
          <Menu.Item key={r.id} onClick={() => void wb.switchReviewer(r.id)} rightSection={r.id === wb.activeReviewer?.id ? '●' : null}>
            {r.name}
          </Menu.Item>
        ))}
        <Menu.Divider />
        <Menu.Item onClick={() => wb.setScreen('settings')}>Manage profiles…</Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

function ThemeToggle() {
  const { colorScheme, toggleColorScheme } = useMantineColorScheme();
  return (
    <Button size="compact-xs" variant="subtle" onClick={toggleColorScheme} aria-label="Toggle dark mode">
      {colorScheme === 'dark' ? 'light' : 'dark'}
    </Button>
  );
}

function StatusBar() {
  const wb = useWorkbench();
  const snapshots = useSnapshots();
  const campaigns = useCampaigns();
  const campaign = campaigns?.find((c) => c.id === wb.campaignId);
  const snapshot = snapshots?.find((s) => s.id === campaign?.snapshotId) ?? snapshots?.[0];
  return (
    <Group h="100%" px="md" justify="space-between" wrap="nowrap" className="status-bar">
      <Text size="xs" c="dimmed" truncate>
        {snapshot ? (
          <Tooltip label={snapshot.sources.map((s) => `${s.file} sha256:${s.sha256}`).join('\n')} multiline maw={600}>
            <span>
              snapshot: {snapshot.name} ({snapshot.sources.length} sources, {snapshot.counts.assignments.toLocaleString('en-US')} assignments)
            </span>
          </Tooltip>
        ) : (
          'no snapshot imported yet'
        )}
        {' · '}
        <Tooltip label={wb.policyDigest}>
          <span>
            policy v{wb.policy.version} ({wb.policyDigest.slice(7, 19)}…)
          </span>
        </Tooltip>
        {campaign ? ` · campaign: ${campaign.name}` : ''}
      </Text>
      {wb.task && (
        <Group gap={6} wrap="nowrap" w={360} data-testid="background-task">
          <Text size="xs" truncate>
            {wb.task.progress.label}
          </Text>
          <Progress value={wb.task.progress.total ? (100 * wb.task.progress.done) / wb.task.progress.total : 0} w={120} size="sm" />
          {wb.task.cancel && (
            <Button size="compact-xs" variant="subtle" color="red" onClick={wb.task.cancel}>
              Cancel
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
          <h2>Something went wrong</h2>
          <p>Your decisions are stored as they are made; reloading the window loses nothing that was shown as saved.</p>
          <pre>{this.state.error.message}</pre>
          <button onClick={() => location.reload()}>Reload</button>
        </div>
      );
    return this.props.children;
  }
}
