import { serve } from '@hono/node-server';
import { Hono } from 'hono';

/** The ceiling: our HTTP stack (Hono on @hono/node-server) parsing and answering JSON, nothing else. */
const app = new Hono();
app.post('/echo', async (c) => c.json(await c.req.json()));
serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' });
