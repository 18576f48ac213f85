// English resources: the source language. Every other language has exactly these keys (Translation<typeof en>).
import { common, enums, progress, shell } from './common';
import { settings } from './settings';
import { review } from './review';
import { campaigns } from './campaigns';
import { importing } from './import';
import { exportScreen } from './export';
import { verify } from './verify';
import { exchange } from './exchange';

export const en = {
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
