/**
 * Drain (He et al., ICWS 2017) as in logparser's Drain/Drain.py, ported line by line to compare with our miner on the
 * same machine: regex masks → whitespace tokens → fixed-depth prefix tree (length, then the first depth−2 tokens;
 * tokens with digits go under <*>; at most maxChild children per node) → the most similar cluster in the leaf
 * (share of equal tokens ≥ st, ties to more wildcards) or a new cluster; templates keep equal tokens and put <*>
 * elsewhere. Per-system settings (masks, st, depth) come from the dataset's log-formats.json.
 */
export interface DrainSettings {
  readonly masks: readonly string[];
  readonly st: number;
  readonly depth: number;
  readonly maxChild?: number;
}

interface Cluster {
  template: string[];
  id: number;
}

interface TreeNode {
  children: Map<string | number, TreeNode>;
  clusters: Cluster[];
}

const WILDCARD = '<*>';
const hasNumbers = (s: string) => /\d/.test(s);
const node = (): TreeNode => ({ children: new Map(), clusters: [] });

/** Cluster id per line (same order). */
export function drainParse(contents: readonly string[], settings: DrainSettings): number[] {
  const depth = settings.depth - 2;
  const maxChild = settings.maxChild ?? 100;
  const masks = settings.masks.map((m) => new RegExp(m, 'g'));
  const root = node();
  const clusters: Cluster[] = [];
  const out: number[] = [];

  const seqDist = (template: string[], seq: string[]): [number, number] => {
    let sim = 0;
    let params = 0;
    for (let k = 0; k < template.length; k++) {
      if (template[k] === WILDCARD) {
        params++;
        continue;
      }
      if (template[k] === seq[k]) sim++;
    }
    return [sim / template.length, params];
  };

  const treeSearch = (seq: string[]): Cluster | undefined => {
    let parent: TreeNode | undefined = root.children.get(seq.length);
    if (!parent) return undefined;
    let currentDepth = 1;
    for (const token of seq) {
      if (currentDepth >= depth || currentDepth > seq.length) break;
      const next: TreeNode | undefined = parent.children.get(token) ?? parent.children.get(WILDCARD);
      if (!next) return undefined;
      parent = next;
      currentDepth++;
    }
    let best: Cluster | undefined;
    let maxSim = -1;
    let maxParams = -1;
    for (const c of parent.clusters) {
      const [sim, params] = seqDist(c.template, seq);
      if (sim > maxSim || (sim === maxSim && params > maxParams)) {
        maxSim = sim;
        maxParams = params;
        best = c;
      }
    }
    return maxSim >= settings.st ? best : undefined;
  };

  const addToTree = (cluster: Cluster): void => {
    const len = cluster.template.length;
    let parent = root.children.get(len);
    if (!parent) {
      parent = node();
      root.children.set(len, parent);
    }
    let currentDepth = 1;
    for (const token of cluster.template) {
      if (currentDepth >= depth || currentDepth > len) {
        parent.clusters.push(cluster);
        return;
      }
      const existing = parent.children.get(token);
      if (existing) parent = existing;
      else if (!hasNumbers(token)) {
        const wildcard = parent.children.get(WILDCARD);
        if (wildcard) {
          if (parent.children.size < maxChild) {
            const n = node();
            parent.children.set(token, n);
            parent = n;
          } else parent = wildcard;
        } else if (parent.children.size + 1 < maxChild) {
          const n = node();
          parent.children.set(token, n);
          parent = n;
        } else if (parent.children.size + 1 === maxChild) {
          const n = node();
          parent.children.set(WILDCARD, n);
          parent = n;
        } else parent = parent.children.get(WILDCARD)!;
      } else {
        let wildcard = parent.children.get(WILDCARD);
        if (!wildcard) {
          wildcard = node();
          parent.children.set(WILDCARD, wildcard);
        }
        parent = wildcard;
      }
      currentDepth++;
    }
    // A template shorter than the tree depth ends here (Drain.py leaves such clusters on the last node reached).
    parent.clusters.push(cluster);
  };

  for (const content of contents) {
    let line = content;
    for (const m of masks) line = line.replace(m, WILDCARD);
    const seq = line
      .trim()
      .split(/\s+/)
      .filter((t) => t.length > 0);
    const match = treeSearch(seq);
    if (!match) {
      const cluster: Cluster = { template: seq, id: clusters.length };
      clusters.push(cluster);
      addToTree(cluster);
      out.push(cluster.id);
    } else {
      match.template = match.template.map((t, k) => (t === seq[k] ? t : WILDCARD));
      out.push(match.id);
    }
  }
  return out;
}
