// report.xlsx on a worker thread (started by startReportWorker in node-runtime.ts): the package's thread posts a job
// as soon as decisions.json exists and the audit chain's head when it has it; the workbook's bytes come back.
import { parentPort } from 'node:worker_threads';
import { reportJobHandlers } from '../../shared/package';
import { connect } from '../../shared/rpc';
import { installNodeRuntime } from './node-primitives';

installNodeRuntime();

const port = parentPort;
// A MessagePort is an EventTarget in Node too: the one request/reply mechanism serves the report calls on it.
if (port) connect(port as never, reportJobHandlers());
