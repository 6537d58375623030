import { fileURLToPath } from 'node:url';
import { Server, ServerCredentials, loadPackageDefinition } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';

/**
 * The anchor of `npm run bench:serve`: a bare grpc-js server answering flagd.evaluation.v2
 * ResolveBoolean with a constant, no evaluation, no routing. What the platform can do at most on
 * one core; our server is measured against it. Prints its port on stdout.
 */
const PROTO_ROOT = fileURLToPath(new URL('../../proto/', import.meta.url));
const definition = loadSync('flagd/evaluation/v2/evaluation.proto', { includeDirs: [PROTO_ROOT], defaults: false });
const service = loadPackageDefinition(definition).flagd.evaluation.v2.Service.service;
const ANSWER = Object.freeze({ value: true, reason: 'STATIC', variant: 'on', metadata: { fields: {} } });

const server = new Server();
server.addService(service, { ResolveBoolean: (_call, callback) => callback(null, ANSWER) });
server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, port) => {
  if (error !== null) throw error;
  process.stdout.write(`bare grpc-js on 127.0.0.1:${port}\n`);
});
process.on('SIGTERM', () => server.forceShutdown());
