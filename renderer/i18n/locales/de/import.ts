import type { Translation } from '../types';
import type { importing as en } from '../en/import';

export const importing: Translation<typeof en> = { x: 'x' };
