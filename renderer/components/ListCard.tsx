// A titled card holding a list, with the words shown when the list is empty.
import { Card, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from '../i18n';

export function ListCard({
  title,
  empty,
  emptyText,
  children,
}: {
  title: string;
  empty: boolean;
  emptyText?: string;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Card withBorder>
      <Title order={5} mb="xs">
        {title}
      </Title>
      {empty ? (
        <Text size="sm" c="dimmed">
          {emptyText ?? t('common.noneYet')}
        </Text>
      ) : (
        children
      )}
    </Card>
  );
}
