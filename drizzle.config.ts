import { defineConfig } from 'drizzle-kit';

// Migrations live in resources/ so the packaged app ships them as-is and every front door
// (desktop, CLI, workers, tests) applies the same files at startup.
export default defineConfig({
  dialect: 'sqlite',
  schema: './src/main/core/db/schema.ts',
  out: './resources/migrations',
});
