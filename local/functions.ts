/**
 * A function's handler, loaded from its source as Lambda loads its bundle: on first use, so a stack that never calls
 * a function never pays for its module.
 */
export async function functionHandler<H = (event: unknown) => Promise<unknown>>(name: string): Promise<H> {
  const { handler } = (await import(`../functions/handlers/${name}.ts`)) as { handler: H };
  return handler;
}

/** An invocation target for the stand-ins (the scheduler's, the pool's triggers) that runs `name`'s handler. */
export const invoke =
  (name: string) =>
  async (event: unknown): Promise<unknown> =>
    (await functionHandler(name))(event);
