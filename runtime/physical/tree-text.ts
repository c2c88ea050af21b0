/**
 * Spark's plan tree drawing: the root on the first line, each child under `+- ` (last child) or
 * `:- ` (earlier children), with `:  ` / `   ` continuing the lines of deeper subtrees.
 */
export function drawTree<T>(root: T, label: (node: T) => string, children: (node: T) => readonly T[]): string {
  const lines: string[] = [];
  const visit = (node: T, prefix: string, connector: string): void => {
    lines.push(prefix + connector + label(node));
    const kids = children(node);
    const childPrefix = prefix + (connector === "" ? "" : connector === "+- " ? "   " : ":  ");
    kids.forEach((k, i) => visit(k, childPrefix, i === kids.length - 1 ? "+- " : ":- "));
  };
  visit(root, "", "");
  return lines.join("\n");
}
