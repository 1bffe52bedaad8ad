/**
 * Throughput floor for the local stack: two loopback HTTP hops that do no work (a server that calls a
 * second server per request, as the local API calls the Cognito stand-in), in one process like the stack.
 */
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

const inner = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
    res.end('{"Devices":[]}');
  });
});
await new Promise<void>((resolve) => inner.listen(0, '127.0.0.1', resolve));
const innerPort = (inner.address() as AddressInfo).port;
const agent = new Agent({ keepAlive: true, maxSockets: 50 });
const outer = createServer((req, res) => {
  req.resume();
  const upstream = request(
    { host: '127.0.0.1', port: innerPort, method: 'POST', path: '/', agent },
    (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (c: Buffer) => chunks.push(c));
      answer.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(Buffer.concat(chunks));
      });
    },
  );
  upstream.end('{}');
});
await new Promise<void>((resolve) => outer.listen(0, '127.0.0.1', resolve));
process.send?.({ type: 'ready', apiUrl: `http://127.0.0.1:${(outer.address() as AddressInfo).port}` });
process.on('message', (m: { type: string }) => {
  if (m.type === 'stop') process.exit(0);
});
