/** A Body of the directory for tests: the given fields, nothing else set. */
import type { Body, BodyKind, Tier } from '../../src/supervise/types.js';

export function body(id: number, name: string, tier: Tier, kind: BodyKind, parentId: number | null, more: Partial<Body> = {}): Body {
  return {
    id,
    name,
    aliases: [],
    tier,
    kind,
    parentId,
    regionCode: null,
    regionCodeYear: null,
    creditCode: null,
    activeFrom: null,
    activeUntil: null,
    ...more,
  };
}
