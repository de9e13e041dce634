import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { RankedCauseDto } from '../api/models';

/** Where each component of the platform's dependency graph is drawn (the engine's PLATFORM_DEPENDENCIES). */
const NODES: Record<string, { x: number; y: number }> = {
  api: { x: 300, y: 30 },
  'event-loop': { x: 80, y: 110 },
  postgres: { x: 220, y: 110 },
  queue: { x: 380, y: 110 },
  elasticsearch: { x: 520, y: 110 },
  memory: { x: 80, y: 190 },
  worker: { x: 300, y: 190 },
  redis: { x: 450, y: 190 },
  'log-spool': { x: 560, y: 190 },
};
const EDGES: [string, string][] = [
  ['api', 'postgres'],
  ['api', 'redis'],
  ['api', 'elasticsearch'],
  ['api', 'event-loop'],
  ['api', 'queue'],
  ['queue', 'redis'],
  ['queue', 'worker'],
  ['worker', 'redis'],
  ['worker', 'postgres'],
  ['event-loop', 'memory'],
  ['log-spool', 'elasticsearch'],
];

/** The ranked causes on the dependency graph: anomalous components shaded by their share, the first cause outlined. */
@Component({
  selector: 'xy-dependency-graph',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <svg viewBox="0 0 640 220" class="graph" role="img" [attr.aria-label]="summary()">
      @for (edge of edges; track $index) {
        <line [attr.x1]="pos(edge[0]).x" [attr.y1]="pos(edge[0]).y" [attr.x2]="pos(edge[1]).x" [attr.y2]="pos(edge[1]).y" class="edge" />
      }
      @for (node of nodes(); track node.name) {
        <g [attr.transform]="'translate(' + node.x + ',' + node.y + ')'" [class.cause]="node.rank === 1" [class.involved]="node.rank > 0">
          <rect x="-52" y="-16" width="104" height="32" rx="8" [attr.fill-opacity]="0.15 + node.share * 0.85" class="node" />
          <text text-anchor="middle" dy="4">{{ node.rank > 0 ? node.rank + '. ' : '' }}{{ node.name }}</text>
        </g>
      }
    </svg>
  `,
  styles: `
    .graph {
      width: 100%;
      max-width: 640px;
      height: auto;
    }
    .edge {
      stroke: var(--mat-sys-outline-variant, #c4c6d0);
      stroke-width: 1.5;
    }
    .node {
      fill: var(--mat-sys-surface-variant, #e1e2ec);
      stroke: var(--mat-sys-outline, #74777f);
    }
    .involved .node {
      fill: var(--mat-sys-error, #b3261e);
    }
    .cause .node {
      stroke-width: 3;
      stroke: var(--mat-sys-on-surface, #1b1b1f);
    }
    text {
      font:
        12px Roboto,
        sans-serif;
      fill: var(--mat-sys-on-surface, #1b1b1f);
    }
  `,
})
export class DependencyGraph {
  readonly causes = input.required<RankedCauseDto[]>();
  protected readonly edges = EDGES;

  protected readonly nodes = computed(() => {
    const ranked = this.causes();
    const extra = ranked.filter((c) => !NODES[c.component]).map((c, i) => [c.component, { x: 60 + i * 120, y: 205 }] as const);
    const all = [...Object.entries(NODES), ...extra];
    return all.map(([name, p]) => {
      const index = ranked.findIndex((c) => c.component === name);
      return { name, x: p.x, y: p.y, rank: index + 1, share: index >= 0 ? ranked[index].score : 0 };
    });
  });

  protected readonly summary = computed(() => {
    const ranked = this.causes();
    if (!ranked.length) return 'Dependency graph: no ranked causes';
    return `Dependency graph. Ranked causes: ${ranked.map((c, i) => `${i + 1}. ${c.component} (${Math.round(c.score * 100)}%)`).join(', ')}`;
  });

  protected pos(name: string): { x: number; y: number } {
    return NODES[name] ?? { x: 0, y: 0 };
  }
}
