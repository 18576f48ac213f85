// Known formats, in detection order (the first that recognises a file wins).
import { workbenchCsv } from './formats/workbench-csv';
import type { FormatParser } from './types';

export const FORMATS: FormatParser[] = [workbenchCsv];
