/**
 * What the functions' bundles get in place of `@smithy/core/event-streams` (an esbuild alias, see
 * `infra/bundle-settings.ts`). The SDK's HTTP protocol imports that module lazily, only for operations with an
 * event stream; Cognito's user-pools API has none, so the real module (15 KB minified) would ship and never
 * load. Should a future SDK ever reach for it here, the call fails loudly instead of silently misbehaving.
 */
function unavailable(): never {
  throw new Error('Event streams are not bundled with this function: no Cognito operation uses them');
}

export class EventStreamSerde {
  constructor() {
    unavailable();
  }
}

export const eventStreamSerdeProvider = unavailable;
