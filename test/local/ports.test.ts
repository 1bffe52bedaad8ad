import { createServer } from 'node:net';
import { expect, it } from 'vitest';
import { ensurePortFree, PortInUseError, spaOrigins } from '../../local/ports.js';

it('a port in use is one sentence naming the variable that moves it', async () => {
  const taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  const { port } = taken.address() as { port: number };
  try {
    const error = await ensurePortFree('API_PORT', '127.0.0.1', port).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PortInUseError);
    expect((error as Error).message).toBe(
      `Port ${port} is in use: set API_PORT to a free port (e.g. API_PORT=${port + 1} npm start).`,
    );
  } finally {
    await new Promise((resolve) => taken.close(resolve));
  }
  await expect(ensurePortFree('API_PORT', '127.0.0.1', port)).resolves.toBeUndefined();
});

it('CORS follows the port the SPA really listens on, under both loopback names', () => {
  expect(spaOrigins('http://localhost:5180')).toEqual(['http://localhost:5180', 'http://127.0.0.1:5180']);
});
