/**
 * The peer: PostGraphile 5 over the benchmark's database, as a team would set it up to answer the same question
 * (Amber + connection-filter with relation filters + pg-aggregates), served by grafserv on node:http.
 * `DATABASE_URL`, `PORT` and `HOST` (127.0.0.1) from the environment; a pool of 10 connections, as the hub has.
 * Started and stopped by scripts/bench.ts; SIGTERM closes the server and the pool.
 */
import { PgAggregatesPreset } from '@graphile/pg-aggregates';
import { createServer } from 'node:http';
import { postgraphile } from 'postgraphile';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';
import { PostGraphileConnectionFilterPreset } from 'postgraphile-plugin-connection-filter';

const connectionString = process.env.DATABASE_URL;
if (!connectionString) throw new Error('DATABASE_URL is required');
const port = Number(process.env.PORT ?? 5678);
const host = process.env.HOST ?? '127.0.0.1';

const preset: GraphileConfig.Preset = {
  extends: [PostGraphileAmberPreset, PostGraphileConnectionFilterPreset, PgAggregatesPreset],
  pgServices: [makePgService({ connectionString, schemas: ['public'], poolConfig: { max: 10 } })],
  schema: { connectionFilterRelations: true },
  grafserv: { port, host, graphqlPath: '/graphql', graphiql: false, watch: false },
  grafast: { explain: false },
};

const pgl = postgraphile(preset);
const serv = pgl.createServ(grafserv);
const server = createServer();
server.once('listening', () => console.log(`postgraphile listening on http://${host}:${port}/graphql`));
await serv.addTo(server);
// The schema is built from an introspection of the database: build it before listening, so that "ready" means ready.
await pgl.getSchema();
server.listen(port, host);

let closing = false;
const shutdown = async () => {
  if (closing) return;
  closing = true;
  server.close();
  await serv.release();
  await pgl.release();
  process.exit(0);
};
process.on('SIGTERM', () => void shutdown());
process.on('SIGINT', () => void shutdown());
