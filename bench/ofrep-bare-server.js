import { createServer } from 'node:http';

/**
 * The anchor of `npm run bench:ofrep`: a bare node:http server that reads the request body and answers a
 * constant OFREP-shaped JSON body, the least any HTTP evaluation server on Node can do per request.
 */
const ANSWER = JSON.stringify({ key: 'flag-0', value: true, reason: 'TARGETING_MATCH', variant: 'on', metadata: {} });

const server = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(ANSWER);
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`listening on 127.0.0.1:${server.address().port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
