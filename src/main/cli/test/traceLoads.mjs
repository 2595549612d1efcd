// Test helper (node --import): appends the URL of every module the process loads to the file
// named by VITALSYNC_TRACE_LOADS, so a test can check what a command loads.
import { register } from 'node:module';

register(new URL('./traceLoadsHook.mjs', import.meta.url));
