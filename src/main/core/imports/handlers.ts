import type { Handlers } from '../handlers';
import { importManager, type ImportCore } from './index';

/** The imports:* channels. The path comes from a file picker, a drop or the CLI. */
export function importHandlers(core: ImportCore): Pick<Handlers, 'imports:start' | 'imports:preview' | 'imports:check-mapping' | 'imports:cancel' | 'imports:list' | 'imports:get'> {
  const manager = () => importManager(core);
  return {
    'imports:start': (input) => manager().start(input.path, {}, input.choices ?? {}),
    'imports:preview': (input) => manager().preview(input.path),
    'imports:check-mapping': (input) => manager().checkMapping(input.path, input.mapping),
    'imports:cancel': (input) => manager().cancel(input.id),
    'imports:list': (input) => manager().list(input.limit),
    'imports:get': (input) => manager().get(input.id),
  };
}
