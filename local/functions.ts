/**
 * A function's handler, loaded from its source as Lambda loads its bundle: on first use, so a stack that never calls
 * a function never pays for its module.
 */
export async function functionHandler<H = (event: unknown) => Promise<unknown>>(name: string): Promise<H> {
  let loading = loaded.get(name);
  if (!loading) {
    loading = import(`../functions/handlers/${name}.ts`).then(
      (module: { handler: unknown }) => module.handler,
    );
    loaded.set(name, loading);
  }
  return (await loading) as H;
}
/** Each handler's module, imported once (an import() of a loaded module still walks the loader every time). */
const loaded = new Map<string, Promise<unknown>>();

/** An invocation target for the stand-ins (the scheduler's, the pool's triggers) that runs `name`'s handler. */
export const invoke =
  (name: string) =>
  async (event: unknown): Promise<unknown> =>
    (await functionHandler(name))(event);
