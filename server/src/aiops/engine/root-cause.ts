/**
 * Root-cause analysis: anomalies on metrics, log-pattern anomalies and health-check failures, each attributed to a
 * component of the service dependency graph, are grouped into incidents, and the components of each incident are
 * ranked as candidate causes.
 *
 * Grouping: two signals belong to one incident when their active periods come within `gapMs` of each other and their
 * components are within `maxHops` of each other in the (undirected) dependency graph (union–find, so chains join).
 *
 * Ranking (after MicroRCA, Wu et al., NOMS 2020, and CloudRanger, Wang et al., CCGRID 2018): a personalised PageRank
 * on the anomalous part of the graph. A walker on a component moves to the components it depends on in proportion
 * to their anomaly (a symptom points at its anomalous dependencies), goes back to its dependents with a small weight
 * (so a wrong turn can be left), and stays on a component that is more anomalous than all of its dependencies (it
 * explains itself). The walk restarts at components in proportion to anomaly strength × temporal precedence
 * (exp(−lag/τ): the earlier a component went wrong, the more likely it is the cause). The stationary distribution is
 * the ranking; each cause comes with its evidence (signals, when, how strongly) and the anomalous dependents it
 * explains.
 */

/** A dependency: `from` calls or runs on `to`, so a fault in `to` shows up in `from`. */
export interface DependencyEdge {
  readonly from: string;
  readonly to: string;
}

/** The platform's own dependency graph (components are the ids used by the signals). */
export const PLATFORM_DEPENDENCIES: readonly DependencyEdge[] = [
  { from: 'api', to: 'postgres' },
  { from: 'api', to: 'redis' },
  { from: 'api', to: 'elasticsearch' },
  { from: 'api', to: 'event-loop' },
  { from: 'api', to: 'queue' },
  { from: 'queue', to: 'redis' },
  { from: 'queue', to: 'worker' },
  { from: 'worker', to: 'redis' },
  { from: 'worker', to: 'postgres' },
  { from: 'event-loop', to: 'memory' },
  { from: 'log-spool', to: 'elasticsearch' },
];

export type SignalKind = 'metric' | 'log' | 'health';

/** One anomalous observation attributed to a component. */
export interface AiopsSignal {
  /** Unique id, e.g. "metric:http_request_duration_p95", "log:T12", "health:redis". */
  readonly id: string;
  readonly kind: SignalKind;
  /** Component (graph node) the signal is about. */
  readonly component: string;
  /** When the anomaly began, epoch ms. */
  readonly start: number;
  /** When it ended, epoch ms (omit while it lasts). */
  readonly end?: number;
  /** 0..1: anomaly score, burst surprise, or health (down 1, degraded ~0.6). */
  readonly strength: number;
  readonly description?: string;
}

export interface CauseEvidence {
  readonly signalId: string;
  readonly kind: SignalKind;
  readonly start: number;
  readonly strength: number;
  /** How long before the incident's other components this signal began (ms; negative = after). */
  readonly leadMs: number;
  readonly description?: string;
}

export interface RankedCause {
  readonly component: string;
  /** Share of the walk's stationary mass (the causes of an incident sum to 1). */
  readonly score: number;
  /** Combined anomaly strength of the component's signals (0..1). */
  readonly anomaly: number;
  /** When the component's first signal began. */
  readonly firstSeen: number;
  readonly evidence: CauseEvidence[];
  /** Anomalous components that depend on this one (directly or through others): what it would explain. */
  readonly explains: string[];
  /** One sentence for the incident view. */
  readonly why: string;
}

export interface Incident {
  /** Stable id from the first signal: "inc-<start>-<component>". */
  readonly id: string;
  readonly start: number;
  /** Latest end of its signals, or null while any lasts. */
  readonly end: number | null;
  /** 0..1: the strongest signal, scaled up with the number of components involved (0.7× for one, 1× from four). */
  readonly severity: number;
  readonly components: string[];
  readonly signals: AiopsSignal[];
  readonly causes: RankedCause[];
}

export interface RootCauseOptions {
  /** Signals whose active periods are this close join one incident (ms, default 5 min). */
  readonly gapMs?: number;
  /** …if their components are at most this many edges apart (default 2). */
  readonly maxHops?: number;
  /** Temporal precedence scale τ, ms (default 60 s). */
  readonly precedenceMs?: number;
  /** Restart probability of the walk (default 0.15). */
  readonly restart?: number;
  /** Weight of a step back from a dependency to its dependent (default 0.1). */
  readonly backWeight?: number;
}

const DEFAULTS = { gapMs: 300_000, maxHops: 2, precedenceMs: 60_000, restart: 0.15, backWeight: 0.1 };

class Graph {
  readonly deps = new Map<string, Set<string>>();
  readonly dependents = new Map<string, Set<string>>();

  constructor(edges: readonly DependencyEdge[], extraNodes: Iterable<string>) {
    for (const n of extraNodes) this.node(n);
    for (const e of edges) {
      this.node(e.from);
      this.node(e.to);
      this.deps.get(e.from)!.add(e.to);
      this.dependents.get(e.to)!.add(e.from);
    }
  }

  private node(n: string): void {
    if (!this.deps.has(n)) {
      this.deps.set(n, new Set());
      this.dependents.set(n, new Set());
    }
  }

  /** Undirected hop distance from a, up to max (Infinity beyond). */
  distances(a: string, max: number): Map<string, number> {
    const dist = new Map([[a, 0]]);
    let frontier = [a];
    for (let d = 1; d <= max && frontier.length > 0; d++) {
      const next: string[] = [];
      for (const n of frontier)
        for (const m of [...this.deps.get(n)!, ...this.dependents.get(n)!])
          if (!dist.has(m)) {
            dist.set(m, d);
            next.push(m);
          }
      frontier = next;
    }
    return dist;
  }

  /** Components that depend on c, transitively. */
  upstream(c: string): Set<string> {
    const seen = new Set<string>();
    const stack = [c];
    while (stack.length > 0) {
      for (const d of this.dependents.get(stack.pop()!)!)
        if (!seen.has(d)) {
          seen.add(d);
          stack.push(d);
        }
    }
    return seen;
  }
}

/** Groups signals into incidents and ranks each incident's candidate causes. Throws RangeError on a bad signal. */
export function analyseIncidents(
  signals: readonly AiopsSignal[],
  edges: readonly DependencyEdge[] = PLATFORM_DEPENDENCIES,
  options: RootCauseOptions = {},
): Incident[] {
  const o = { ...DEFAULTS, ...options };
  signals.forEach((s, i) => {
    if (!s.component) throw new RangeError(`signals[${i}].component must not be empty`);
    if (!Number.isFinite(s.start)) throw new RangeError(`signals[${i}].start must be epoch milliseconds`);
    if (s.end !== undefined && !(Number.isFinite(s.end) && s.end >= s.start)) throw new RangeError(`signals[${i}].end must be ≥ start`);
    if (!(s.strength >= 0 && s.strength <= 1)) throw new RangeError(`signals[${i}].strength must be in [0, 1]`);
  });
  const graph = new Graph(
    edges,
    signals.map((s) => s.component),
  );
  const order = signals.map((_, i) => i).sort((a, b) => signals[a].start - signals[b].start);
  const parent = signals.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  const distCache = new Map<string, Map<string, number>>();
  const near = (a: string, b: string) => {
    let d = distCache.get(a);
    if (!d) distCache.set(a, (d = graph.distances(a, o.maxHops)));
    return d.has(b);
  };
  const endOf = (s: AiopsSignal) => s.end ?? Infinity;
  for (let x = 0; x < order.length; x++) {
    const a = signals[order[x]];
    for (let y = x + 1; y < order.length; y++) {
      const b = signals[order[y]];
      if (b.start - endOf(a) > o.gapMs) {
        // b and later signals start too late for a; but a may end late, so only stop when a has ended.
        if (a.end !== undefined) break;
        continue;
      }
      if (near(a.component, b.component)) parent[find(order[y])] = find(order[x]);
    }
  }
  const groups = new Map<number, AiopsSignal[]>();
  for (const i of order) {
    const r = find(i);
    const g = groups.get(r);
    if (g) g.push(signals[i]);
    else groups.set(r, [signals[i]]);
  }
  return [...groups.values()].map((g) => incidentOf(g, graph, o)).sort((a, b) => a.start - b.start);
}

function incidentOf(signals: AiopsSignal[], graph: Graph, o: typeof DEFAULTS): Incident {
  const byComponent = new Map<string, AiopsSignal[]>();
  for (const s of signals) byComponent.set(s.component, [...(byComponent.get(s.component) ?? []), s]);
  const components = [...byComponent.keys()];
  const anomaly = new Map<string, number>();
  const firstSeen = new Map<string, number>();
  for (const [c, ss] of byComponent) {
    anomaly.set(c, 1 - ss.reduce((q, s) => q * (1 - s.strength), 1));
    firstSeen.set(c, Math.min(...ss.map((s) => s.start)));
  }
  const t0 = Math.min(...firstSeen.values());
  const nodes = components;
  const index = new Map(nodes.map((n, k) => [n, k]));
  const N = nodes.length;

  // Transition matrix of the walk, row-stochastic over the incident's anomalous components.
  const P = Array.from({ length: N }, () => new Float64Array(N));
  for (let i = 0; i < N; i++) {
    const c = nodes[i];
    const a = anomaly.get(c)!;
    let maxDep = 0;
    for (const d of graph.deps.get(c)!) {
      const j = index.get(d);
      if (j === undefined) continue;
      P[i][j] += anomaly.get(d)!;
      maxDep = Math.max(maxDep, anomaly.get(d)!);
    }
    for (const u of graph.dependents.get(c)!) {
      const j = index.get(u);
      if (j !== undefined) P[i][j] += o.backWeight * anomaly.get(u)!;
    }
    P[i][i] += Math.max(0, a - maxDep);
    const sum = P[i].reduce((s, v) => s + v, 0);
    if (sum === 0) P[i][i] = 1;
    else for (let j = 0; j < N; j++) P[i][j] /= sum;
  }
  const prior = nodes.map((c) => anomaly.get(c)! * Math.exp(-(firstSeen.get(c)! - t0) / o.precedenceMs));
  const priorSum = prior.reduce((s, v) => s + v, 0) || 1;
  const v = prior.map((p) => p / priorSum);
  let rank = [...v];
  for (let iter = 0; iter < 200; iter++) {
    const next = v.map((x) => o.restart * x);
    for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) next[j] += (1 - o.restart) * rank[i] * P[i][j];
    const delta = next.reduce((s, x, k) => s + Math.abs(x - rank[k]), 0);
    rank = next;
    if (delta < 1e-12) break;
  }
  const total = rank.reduce((s, x) => s + x, 0) || 1;
  const causes: RankedCause[] = nodes
    .map((c, k) => {
      const explains = [...graph.upstream(c)].filter((u) => byComponent.has(u)).sort();
      const others = nodes.filter((n) => n !== c).map((n) => firstSeen.get(n)!);
      const othersFirst = others.length > 0 ? Math.min(...others) : firstSeen.get(c)!;
      const evidence = byComponent
        .get(c)!
        .map((s) => ({ signalId: s.id, kind: s.kind, start: s.start, strength: s.strength, leadMs: othersFirst - s.start, description: s.description }))
        .sort((a, b) => a.start - b.start);
      const lead = othersFirst - firstSeen.get(c)!;
      const why =
        `${c}: ${evidence.length} signal(s) up to strength ${Math.max(...evidence.map((e) => e.strength)).toFixed(2)}` +
        (others.length === 0
          ? ''
          : lead > 0
            ? `, first ${Math.round(lead / 1000)} s before the other components`
            : `, ${Math.round(-lead / 1000)} s after the first component`) +
        (explains.length > 0 ? `; would explain ${explains.join(', ')} (they depend on it)` : '');
      return { component: c, score: rank[k] / total, anomaly: anomaly.get(c)!, firstSeen: firstSeen.get(c)!, evidence, explains, why };
    })
    .sort((a, b) => b.score - a.score || a.firstSeen - b.firstSeen);
  const ends = signals.map((s) => s.end);
  const first = signals.reduce((a, b) => (b.start < a.start ? b : a));
  const maxStrength = Math.max(...signals.map((s) => s.strength));
  return {
    id: `inc-${first.start}-${first.component}`,
    start: t0,
    end: ends.some((e) => e === undefined) ? null : Math.max(...(ends as number[])),
    severity: Math.min(1, maxStrength * (0.6 + 0.1 * Math.min(4, components.length))),
    components: components.sort(),
    signals,
    causes,
  };
}
