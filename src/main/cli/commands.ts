// The command table: one line per command. A command's module is imported only when that
// command runs, so `vitalsync status` never loads the browser-mode server, the importers or
// the providers. Usage and summary live here so `help` needs no module at all.
// Every command goes through the same contract gate (dispatch) as the renderer, so the CLI can
// do nothing the app could not, and errors read the same.
import type { Command } from './run';

export const COMMANDS: Command[] = [
  { name: 'status', usage: 'status [--json]', summary: 'What the database holds, per source.', load: () => import('./status').then((m) => m.statusCommand) },
  { name: 'prefs', usage: 'prefs get [CATEGORY] [--json] | prefs set CATEGORY KEY... [--fill-gaps on|off] | prefs add CATEGORY KEY [--first|--last|--before K|--after K] | prefs remove CATEGORY KEY... | prefs reset CATEGORY|--all', summary: 'Show or change which source wins per category (set replaces the list; add and remove change one key).', load: () => import('./prefs').then((m) => m.prefsCommand) },
  { name: 'settings', usage: 'settings get [KEY] [--json] | settings set KEY VALUE', summary: 'Show or change the app settings (units, theme, home time zone).', load: () => import('./settings').then((m) => m.settingsCommand) },
  { name: 'serve', usage: 'serve [--port N] [--renderer DIR]', summary: 'Run the app in your browser, on 127.0.0.1 only (prints the URL).', load: () => import('./serve').then((m) => m.serveCommand) },
  { name: 'metrics', usage: 'metrics [--category C] [--json]', summary: 'The metric ids (for query), with label, unit, category and how a day’s value is made.', load: () => import('./metrics').then((m) => m.metricsCommand) },
  { name: 'query', usage: 'query <metric> --from YYYY-MM-DD --to YYYY-MM-DD [--bucket day|week|month] [--json]', summary: 'A metric (ids: vitalsync metrics) merged across sources, with each bucket’s source shares.', load: () => import('./query').then((m) => m.queryCommand) },
  { name: 'rebuild', usage: 'rebuild [--json]', summary: 'Rebuild the merged daily values, provenance and quality scores from the samples.', load: () => import('./query').then((m) => m.rebuildCommand) },
  { name: 'connect', usage: 'connect <provider> [--client-id ID --client-secret S] [--redirect loopback|bounce] [--port N]', summary: 'Sign in to a provider: prints the address to open, waits for the answer, keeps the tokens in the keychain.', load: () => import('./connect').then((m) => m.connectCommand) },
  { name: 'sync', usage: 'sync [provider] [--json]', summary: 'Bring in what is new from connected accounts; prints samples inserted and duplicates.', load: () => import('./connect').then((m) => m.syncCommand) },
  { name: 'disconnect', usage: 'disconnect <provider> [--delete-data]', summary: 'Revoke and forget the sign-in; its data is kept unless --delete-data.', load: () => import('./connect').then((m) => m.disconnectCommand) },
  { name: 'import', usage: 'import <file|folder|zip> [--preset NAME] [--mapping FILE] [--zone ZONE] [--weight-unit kg|lb] [--preview] [--json]', summary: 'Import an export (Apple Health, MyFitnessPal, Cronometer, Fitbit Takeout, Garmin Connect) or a CSV with a column mapping.', load: () => import('./import').then((m) => m.importCommand) },
  { name: 'export', usage: 'export --format csv|json|fhir|sqlite --out FILE [--from YYYY-MM-DD --to YYYY-MM-DD] [--metrics a,b] [--raw] [--json]', summary: 'Your data as a file: merged daily values with their sources (--raw: every sample, re-importable as CSV), a FHIR R4 bundle, or a copy of the whole database.', load: () => import('./export').then((m) => m.exportCommand) },
  { name: 'vault', usage: 'vault init FOLDER [--name NAME] | vault join FOLDER [--recovery] [--name NAME] | vault status [--json] | vault sync [--json] | vault confirm DEVICE SEGMENT | vault pause | vault resume | vault leave', summary: 'Sync between your computers through an encrypted folder your sync engine (Syncthing, Dropbox, iCloud Drive) carries.', load: () => import('./vault').then((m) => m.vaultCommand) },
];
