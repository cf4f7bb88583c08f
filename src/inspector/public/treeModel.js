/**
 * The page's copy of the tree: built from the snapshot, kept current by the diffs, flattened into the
 * rows the virtual list shows (only expanded nodes, or the matches of a filter and their ancestors).
 */
export class TreeModel {
  constructor() {
    this.nodes = new Map();
    this.types = [];
    this.rootId = 0;
    this.expanded = new Set();
    this.version = 0;
  }

  loadSnapshot(types, rows) {
    this.types = types;
    this.nodes.clear();
    const keepExpanded = this.expanded.size > 0;
    for (const [id, parent, name, type] of rows) {
      this.nodes.set(id, { id, parent, name, type, children: [] });
      if (parent === 0) this.rootId = id;
      else this.nodes.get(parent)?.children.push(id);
    }
    if (!keepExpanded) {
      // The root and the scene below it start open.
      this.expanded.add(this.rootId);
      for (const child of this.nodes.get(this.rootId)?.children ?? []) this.expanded.add(child);
    }
    this.version++;
  }

  applyDiff(diff) {
    if (diff.types) this.types = diff.types;
    for (const id of diff.removed) {
      this.nodes.delete(id);
      this.expanded.delete(id);
    }
    for (const [id, parent, name, type] of diff.nodes) {
      const node = this.nodes.get(id);
      if (node) Object.assign(node, { parent, name, type });
      else this.nodes.set(id, { id, parent, name, type, children: [] });
    }
    for (const [parent, children] of diff.order) {
      const node = this.nodes.get(parent);
      if (node) node.children = children.filter((id) => this.nodes.has(id));
    }
    for (const [id, name] of diff.names) {
      const node = this.nodes.get(id);
      if (node) node.name = name;
    }
    this.version++;
  }

  typeOf(node) {
    return this.types[node.type] ?? "?";
  }

  pathOf(id) {
    const names = [];
    for (let node = this.nodes.get(id); node; node = this.nodes.get(node.parent)) names.push(node.name);
    return "/" + names.reverse().join("/");
  }

  toggle(id) {
    if (this.expanded.has(id)) this.expanded.delete(id);
    else this.expanded.add(id);
    this.version++;
  }

  /** Opens every ancestor of `id`, so its row is shown. */
  reveal(id) {
    for (let node = this.nodes.get(this.nodes.get(id)?.parent); node; node = this.nodes.get(node.parent))
      this.expanded.add(node.id);
    this.version++;
  }

  /**
   * The rows to show, in tree order: `{ node, depth, open, hasChildren }`. `match(node)` (optional)
   * keeps matching nodes and their ancestors, all shown open.
   */
  rows(match) {
    const root = this.nodes.get(this.rootId);
    if (!root) return [];
    const keep = match ? this.matching(match) : null;
    const rows = [];
    const stack = [[root, 0]];
    while (stack.length > 0) {
      const [node, depth] = stack.pop();
      if (keep && !keep.has(node.id)) continue;
      const hasChildren = node.children.length > 0;
      const open = keep ? true : this.expanded.has(node.id);
      rows.push({ node, depth, open, hasChildren });
      if (!open) continue;
      for (let i = node.children.length - 1; i >= 0; i--) {
        const child = this.nodes.get(node.children[i]);
        if (child) stack.push([child, depth + 1]);
      }
    }
    return rows;
  }

  matching(match) {
    const keep = new Set();
    for (const node of this.nodes.values()) {
      if (!match(node)) continue;
      for (let n = node; n && !keep.has(n.id); n = this.nodes.get(n.parent)) keep.add(n.id);
    }
    return keep;
  }
}
