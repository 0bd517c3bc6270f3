import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './src/store/postgres/schema/index.ts',
  out: './drizzle/postgres',
  casing: 'snake_case',
});
