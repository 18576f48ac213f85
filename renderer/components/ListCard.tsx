// A titled card holding a list, with the words shown when the list is empty.
import { Card, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

export function ListCard({ title, empty, emptyText = 'None yet.', children }: { title: string; empty: boolean; emptyText?: string; children: ReactNode }) {
  return (
    <Card withBorder>
      <Title order={5} mb="xs">
        {title}
      </Title>
      {empty ? (
        <Text size="sm" c="dimmed">
          {emptyText}
        </Text>
      ) : (
        children
      )}
    </Card>
  );
}
