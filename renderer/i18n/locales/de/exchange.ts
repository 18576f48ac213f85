import type { Translation } from '../types';
import type { exchange as en } from '../en/exchange';

export const exchange: Translation<typeof en> = { x: 'x' };
