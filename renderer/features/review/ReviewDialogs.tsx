// The review screen's dialogs: the key list, bulk accept (which lists every item it will decide) and the drift
// confirmation. While any of them is open the screen's single-key shortcuts are off (see ReviewScreen).
import { Alert, Button, Group, Kbd, Modal, ScrollArea, Stack, Table, Text, Title } from '@mantine/core';
import { formatCount } from '../../components';

export const KEYS: [string, string][] = [
  ['j / ↓', 'next item'],
  ['k / ↑', 'previous item'],
  ['a', 'accept the suggestion (then the next undecided item)'],
  ['o', 'override: choose another action'],
  ['r', 'focus the rationale'],
  ['Ctrl+Enter', 'save the decision (override or accept; approve on a step-up item)'],
  ['u', 'undo your decision on this item (a new event)'],
  ['/', 'search'],
  ['b', 'bulk accept the eligible items shown (where the policy allows it)'],
  ['?', 'this list'],
  ['Alt+1…6', 'switch screens'],
];

export function KeysDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  return (
    <Modal opened={opened} onClose={onClose} title="Keyboard" closeButtonProps={{ 'aria-label': 'Close the key list' }}>
      <Table>
        <Table.Tbody>
          {KEYS.map(([k, v]) => (
            <Table.Tr key={k}>
              <Table.Td>
                <Kbd>{k}</Kbd>
              </Table.Td>
              <Table.Td>{v}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Modal>
  );
}

export interface BulkItem {
  itemId: string;
  who: string;
  what: string;
  action: string;
  tier: string;
}

/** At most this many items are drawn in the list (the count above it is exact). */
const LISTED = 500;

export function BulkDialog(p: { opened: boolean; eligible: BulkItem[]; open: number; saving: boolean; onConfirm: () => void; onClose: () => void }) {
  const refused = p.open - p.eligible.length;
  const tiers = new Map<string, number>();
  for (const i of p.eligible) tiers.set(i.tier, (tiers.get(i.tier) ?? 0) + 1);
  return (
    <Modal opened={p.opened} onClose={p.onClose} title="Bulk accept" size="lg" closeButtonProps={{ 'aria-label': 'Close bulk accept' }}>
      <Stack gap="xs" data-testid="bulk-dialog">
        <Text size="sm">
          {formatCount(p.eligible.length)} of the {formatCount(p.open)} open items shown can be accepted in bulk: {[...tiers.entries()].map(([t, n]) => `${n} ${t}`).join(', ') || 'none'}. These are the items it will decide:
        </Text>
        <ScrollArea.Autosize mah={280} type="auto" offsetScrollbars>
          <Table withRowBorders={false} verticalSpacing={2} fz="xs" data-testid="bulk-items">
            <Table.Tbody>
              {p.eligible.slice(0, LISTED).map((i) => (
                <Table.Tr key={i.itemId} data-testid="bulk-item">
                  <Table.Td>{i.who}</Table.Td>
                  <Table.Td>{i.what}</Table.Td>
                  <Table.Td>accept {i.action}</Table.Td>
                  <Table.Td>{i.tier}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {p.eligible.length > LISTED && (
            <Text size="xs" c="dimmed">
              … and {formatCount(p.eligible.length - LISTED)} more (narrow the filters to see them all before accepting).
            </Text>
          )}
        </ScrollArea.Autosize>
        {refused > 0 && (
          <Alert color="orange" py={6}>
            {formatCount(refused)} items are left for one-by-one review: the policy lets only items of its &quot;suggest&quot; class be accepted in bulk (never step-up or never-delegate ones).
          </Alert>
        )}
        <Group>
          <Button onClick={p.onConfirm} disabled={!p.eligible.length} loading={p.saving} data-testid="confirm-bulk" data-autofocus>
            Accept these {formatCount(p.eligible.length)} suggestions
          </Button>
          <Button variant="default" onClick={p.onClose}>
            Cancel
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

export function DriftDialog(p: { opened: boolean; streak: number; fastSeconds: number; onConfirm: () => void; onClose: () => void }) {
  return (
    <Modal opened={p.opened} onClose={p.onClose} title="Confirm this accept">
      <Title order={6}>
        You have accepted {p.streak} suggestions in a row, each in under {p.fastSeconds} seconds.
      </Title>
      <Text size="sm" mt="xs">
        Check the signals of this item before accepting.
      </Text>
      <Group mt="md">
        <Button onClick={p.onConfirm} data-testid="confirm-accept">
          I checked it — accept
        </Button>
        <Button variant="default" onClick={p.onClose} data-autofocus>
          Back
        </Button>
      </Group>
    </Modal>
  );
}
