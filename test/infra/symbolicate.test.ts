import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { esbuildOptions } from '../../infra/esbuild-options.js';
import { original, rebuildWithMap } from '../../scripts/symbolicate.js';

describe('symbolicating a deployed bundle without a shipped map', () => {
  it('the rebuilt bundle is the deployed code byte for byte, so its map fits logged positions', async () => {
    const deployed = new TextDecoder().decode(
      (await build({ ...esbuildOptions('api'), write: false })).outputFiles?.[0]?.contents,
    );
    const { code, map } = await rebuildWithMap('api');
    expect(code.replace(/\n\/\/# sourceMappingURL=\S+\n?$/, '\n')).toBe(deployed);
    // Where our own code sits in the bundle maps back to its source file.
    const at = deployed.indexOf('Unexpected error');
    const lines = deployed.slice(0, at).split('\n');
    const position = original(map, lines.length, (lines.at(-1)?.length ?? 0) + 1);
    expect(position).toMatch(/^functions\/errors\.ts:\d+:\d+$/);
  });
});
