// Apple Health in the importer registry: recognised by its main XML's content (<HealthData>,
// whatever the file is called: export.xml, 导出.xml, Export.xml). Its reading runs in its own
// pipeline (threads.ts runParser), not through the record sink.
import type { Importer } from '../importer';
import { sniffHealthXml } from './source';

/** Entries worth sniffing: XML first, biggest first (the main XML is the largest file). */
const MAX_SNIFFED = 20;

export const appleHealthImporter: Importer = {
  id: 'apple_health',
  label: 'Apple Health',
  source: 'apple_health',
  async sniff(input) {
    const candidates = input.entries
      .filter((e) => e.size > 0 && !/\.(gpx|csv|pdf|png|jpe?g|heic|dtd|json)$/i.test(e.path))
      .sort((a, b) => Number(/\.xml$/i.test(b.path)) - Number(/\.xml$/i.test(a.path)) || b.size - a.size)
      .slice(0, MAX_SNIFFED);
    for (const e of candidates) {
      const head = await e.head(64 * 1024).catch(() => null);
      if (head && sniffHealthXml(head) === 'health') {
        const routes = input.entries.filter((x) => /\.gpx$/i.test(x.path)).length;
        return {
          importer: 'apple_health',
          entries: [{ path: e.path, kind: 'export.xml' }],
          description: `Apple Health export (${e.path}${routes ? `, ${routes} workout routes` : ''})`,
        };
      }
    }
    return null;
  },
};
