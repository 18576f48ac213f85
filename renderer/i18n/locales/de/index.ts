// German resources (Deutsch). Typed against English, so a missing or extra key fails the type check.
import type { Translation } from '../types';
import type { en } from '../en';
import { common, enums, progress, shell } from './common';
import { settings } from './settings';
import { review } from './review';
import { campaigns } from './campaigns';
import { importing } from './import';
import { exportScreen } from './export';
import { verify } from './verify';
import { exchange } from './exchange';

export const de: Translation<typeof en> = {
  common,
  enums,
  shell,
  progress,
  settings,
  review,
  campaigns,
  import: importing,
  export: exportScreen,
  verify,
  exchange,
};
