import { createServer } from 'node:http2';
import { connectNodeAdapter } from '@connectrpc/connect-node';
import { Service } from '../../dist/generated/flagd/evaluation/v2/evaluation_pb.js';

/**
 * A second reference for `npm run bench:serve`: @connectrpc/connect-node on node's HTTP/2 server
 * answering ResolveBoolean with a constant, as the bare grpc-js anchor does. The gap between it and
 * the anchor is the library's; the gap between it and our server is ours. Prints its port on stdout.
 */
const ANSWER = Object.freeze({ value: true, reason: 'STATIC', variant: 'on', metadata: {} });
const handler = connectNodeAdapter({
  routes: (router) => router.service(Service, { resolveBoolean: () => ANSWER }),
});
const server = createServer(handler);
server.listen(0, '127.0.0.1', () => process.stdout.write(`bare connect-node on 127.0.0.1:${server.address().port}\n`));
process.on('SIGTERM', () => process.exit(0));
