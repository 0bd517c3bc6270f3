import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createPeerAuth, type PeerDatabase } from '../peer/create-peer-auth.js';

/** better-auth mounted on Hono, as its docs show; configured by the harness through the environment. */
const port = Number(process.env.PORT);
const { auth } = createPeerAuth({
  // Written by the harness (setup/peer.ts startPeer) from a PeerDatabase.
  database: JSON.parse(process.env.PEER_DATABASE ?? '') as PeerDatabase,
  baseUrl: `http://127.0.0.1:${port}`,
  secret: process.env.PEER_SECRET ?? '',
});
const app = new Hono();
app.on(['GET', 'POST'], '/api/auth/*', (c) => auth.handler(c.req.raw));
serve({ fetch: app.fetch, port, hostname: '127.0.0.1' });
