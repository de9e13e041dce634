// Renders every overlay with `kubectl kustomize` and validates every object offline against the
// Kubernetes schemas (types, required fields, quantities) and for unknown fields.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { renderOverlay, OVERLAYS, requireKubectl } from '../lib/render.mjs';
import { schemaErrors, unknownFieldErrors } from '../lib/validate.mjs';

const gate = requireKubectl();
const kubectl = gate.path;
const missing = gate.skip;

// One TypeScript program for the objects of all overlays (building it is the slow part).
let unknownByOverlay;
function unknownFields(overlay) {
  if (!unknownByOverlay) {
    const all = OVERLAYS.flatMap((o) => renderOverlay(kubectl, o).objects.map((object) => ({ overlay: o, object })));
    const tagged = all.map(({ overlay: o, object }) => ({ ...object, metadata: { ...object.metadata, name: `${o}:${object.metadata?.name}` } }));
    const errors = unknownFieldErrors(tagged);
    unknownByOverlay = new Map(OVERLAYS.map((o) => [o, errors.filter((e) => e.includes(`/${o}:`)).map((e) => e.replace(`/${o}:`, '/'))]));
    const unattributed = errors.filter((e) => !OVERLAYS.some((o) => e.includes(`/${o}:`)));
    for (const o of OVERLAYS) unknownByOverlay.get(o).push(...unattributed);
  }
  return unknownByOverlay.get(overlay);
}

for (const overlay of OVERLAYS) {
  describe(`overlay ${overlay}`, { skip: missing }, () => {
    it('renders with kubectl kustomize', () => {
      const { objects } = renderOverlay(kubectl, overlay);
      assert.ok(objects.length > 10, `only ${objects.length} objects rendered`);
    });

    it('has only objects that pass the Kubernetes JSON schemas', () => {
      const { objects } = renderOverlay(kubectl, overlay);
      assert.deepEqual(objects.flatMap(schemaErrors), []);
    });

    it('has no field that the Kubernetes API does not define', () => {
      assert.deepEqual(unknownFields(overlay), []);
    });
  });
}
