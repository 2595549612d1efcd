// Desktop entry: lifecycle only, in electron/startup.ts (where a test runs it against a stand-in
// Electron). The command line (--cli) or: single-instance lock, protocols, migrate (by creating
// the core), register handlers, open the window. Everything else lives in core/ (plain Node) or
// electron/.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startApp } from './electron/startup';

void startApp(path.dirname(fileURLToPath(import.meta.url)));
