// Renders every overlay with `kubectl kustomize` and validates every object offline against the
// Kubernetes schemas (types, required fields, quantities) and for unknown fields.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { renderOverlay, OVERLAYS, requireKubectl } from '../lib/render.mjs';
import { schemaErrors, unknownFieldErrors } from '../lib/validate.mjs';

const gate = requireKubectl();
const kubectl = gate.path;
const missing = gate.skip;

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
      const { objects } = renderOverlay(kubectl, overlay);
      assert.deepEqual(unknownFieldErrors(objects), []);
    });
  });
}
