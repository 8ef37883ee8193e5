/**
 * publish/subscribe: nats.js `nc.publish(subject, payload)` → `caps.messaging.publish(…)`
 * (wasmcloud:messaging/consumer), and a subscription consumed by `for await (const m of nc.subscribe(subject))`
 * → `caps.messaging.subscribe(subject, async (m) => {…})` (wasmcloud:messaging/handler). `JSONCodec` and
 * `StringCodec` are imported from the facade instead of nats. A subscription with a callback,
 * `nc.subscribe(subject, { callback: (error, m) => {…} })`, becomes the same handler (`error` is always null there). The handler returns at once where the loop waited:
 * code after such a loop now runs right away, as it does in a component.
 */
import {
  Node,
  SyntaxKind,
  type CallExpression,
  type ForOfStatement,
  type SourceFile,
  type Statement,
} from 'ts-morph';
import { replaceCallee } from './edits.ts';
import { getClientOrigin, isFrom, lineOf } from './resolve.ts';
import { createResult, type Transform, type TransformResult } from './transform.ts';

const NATS_CLIENTS = ['connect', 'NatsConnection'] as const;
const CODECS = ['JSONCodec', 'StringCodec'] as const;

function isNatsCall(call: CallExpression, method: string): boolean {
  const callee = call.getExpression();
  return (
    Node.isPropertyAccessExpression(callee) &&
    callee.getName() === method &&
    isFrom(getClientOrigin(callee.getExpression()), 'nats', NATS_CLIENTS)
  );
}

function isNested(node: Node, root: Node, kinds: (n: Node) => boolean): boolean {
  for (
    let current = node.getParent();
    current !== undefined && current !== root;
    current = current.getParent()
  ) {
    if (kinds(current)) return true;
  }
  return false;
}

const isFunction = (n: Node): boolean => Node.isFunctionLikeDeclaration(n);
const isLoopOrSwitch = (n: Node): boolean =>
  isFunction(n) || Node.isIterationStatement(n) || Node.isSwitchStatement(n);

/** True when the loop body leaves the loop (`return`, `break`, `continue` of this loop): it cannot be a handler. */
function leavesLoop(body: Statement): boolean {
  for (const node of body.getDescendants()) {
    if (Node.isReturnStatement(node) && !isNested(node, body, isFunction)) return true;
    if (
      (Node.isBreakStatement(node) || Node.isContinueStatement(node)) &&
      (node.getLabel() !== undefined || !isNested(node, body, isLoopOrSwitch))
    ) {
      return true;
    }
  }
  return false;
}

function hasAwait(body: Statement): boolean {
  return body.getDescendantsOfKind(SyntaxKind.AwaitExpression).some((a) => !isNested(a, body, isFunction));
}

/** `caps.messaging.subscribe(subject, async (m) => {…})` for a `for await (const m of …)` loop. */
function handlerText(loop: ForOfStatement, subscribe: CallExpression): string | undefined {
  const initializer = loop.getInitializer();
  const declaration = Node.isVariableDeclarationList(initializer)
    ? initializer.getDeclarations()[0]
    : undefined;
  const [subject, ...rest] = subscribe.getArguments();
  const body = loop.getStatement();
  if (declaration === undefined || subject === undefined || rest.length > 0 || leavesLoop(body))
    return undefined;
  const block = Node.isBlock(body) ? body.getText() : `{ ${body.getText()} }`;
  const asyncKeyword = hasAwait(body) ? 'async ' : '';
  return `caps.messaging.subscribe(${subject.getText()}, ${asyncKeyword}(${declaration.getNameNode().getText()}) => ${block});`;
}

/**
 * `nc.subscribe(subject, { callback: (error, m) => {…} })` whose result is unused → `caps.messaging.subscribe(subject,
 * (m) => {…})`; an `error` the body reads is declared null in it. Other options (queue, max) are not rewritten.
 */
function rewriteCallbackSubscribe(call: CallExpression, result: TransformResult): boolean {
  const [subject, options, ...rest] = call.getArguments();
  if (subject === undefined || !Node.isObjectLiteralExpression(options) || rest.length > 0) return false;
  if (!Node.isExpressionStatement(call.getParent())) return false;
  const [property, ...others] = options.getProperties();
  if (!Node.isPropertyAssignment(property) || property.getName() !== 'callback' || others.length > 0)
    return false;
  const callback = property.getInitializer();
  if (!Node.isArrowFunction(callback) && !Node.isFunctionExpression(callback)) return false;
  const [error, message, ...more] = callback.getParameters();
  const body = callback.getBody();
  if (message === undefined || more.length > 0 || !Node.isBlock(body)) return false;
  const errorName = error?.getNameNode();
  const readsError =
    Node.isIdentifier(errorName) &&
    errorName
      .findReferencesAsNodes()
      .some((ref) => ref !== errorName && ref.getSourceFile() === call.getSourceFile());
  const { inner, indent } = dedentBody(body, call);
  const declareError = readsError ? `\n${indent}const ${errorName.getText()} = null;` : '';
  const asyncKeyword = callback.isAsync() ? 'async ' : '';
  result.edits.push({
    start: call.getStart(),
    end: call.getEnd(),
    text: `caps.messaging.subscribe(${subject.getText()}, ${asyncKeyword}(${message.getText()}) => {${declareError}${inner})`,
    description: `${call.getExpression().getText()} with a callback → caps.messaging.subscribe handler`,
  });
  return true;
}

/** The leading whitespace of the line `position` is on. */
function indentAt(node: Node, position: number): string {
  const text = node.getSourceFile().getFullText();
  const start = text.lastIndexOf('\n', position - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start))?.[0] ?? '';
}

/**
 * The callback's block after its `{`, moved out to the indentation it has once it is the handler of the call
 * (it was nested in the options object), and the indentation of its statements. A block with a multi-line
 * template literal keeps its text: dedenting would change the string.
 */
function dedentBody(body: Node, call: CallExpression): { inner: string; indent: string } {
  const text = body.getText().slice(1);
  const callIndent = indentAt(call, call.getStart());
  const closeIndent = indentAt(body, body.getEnd() - 1);
  const first = Node.isBlock(body) ? body.getStatements()[0] : undefined;
  const unit =
    first === undefined ? '  ' : indentAt(first, first.getStart()).slice(closeIndent.length) || '  ';
  const shift = closeIndent.length - callIndent.length;
  const multiLineTemplate = body
    .getDescendants()
    .some(
      (d) =>
        (Node.isTemplateExpression(d) || Node.isNoSubstitutionTemplateLiteral(d)) &&
        d.getText().includes('\n'),
    );
  if (shift <= 0 || multiLineTemplate) return { inner: text, indent: closeIndent + unit };
  const pad = new RegExp(`\n[ \\t]{${shift}}`, 'g');
  return { inner: text.replace(pad, '\n'), indent: callIndent + unit };
}

function rewriteSubscribe(call: CallExpression, result: TransformResult): boolean {
  if (rewriteCallbackSubscribe(call, result)) return true;
  const parent = call.getParent();
  // for await (const m of nc.subscribe('x')) {…}
  if (Node.isForOfStatement(parent) && parent.isAwaited() && parent.getExpression() === call) {
    const text = handlerText(parent, call);
    if (text === undefined) return false;
    result.edits.push({
      start: parent.getStart(),
      end: parent.getEnd(),
      text,
      description: `for await over ${call.getText()} → caps.messaging.subscribe handler`,
    });
    return true;
  }
  // const sub = nc.subscribe('x'); for await (const m of sub) {…}
  const declaration = Node.isVariableDeclaration(parent) ? parent : undefined;
  const statement = declaration?.getVariableStatement();
  const loop = statement?.getNextSibling();
  if (
    declaration === undefined ||
    statement === undefined ||
    !Node.isForOfStatement(loop) ||
    !loop.isAwaited()
  )
    return false;
  const name = declaration.getNameNode();
  const iterated = loop.getExpression();
  if (!Node.isIdentifier(name) || !Node.isIdentifier(iterated) || iterated.getText() !== name.getText())
    return false;
  if (name.findReferencesAsNodes().some((ref) => ref !== name && ref !== iterated)) return false;
  if (statement.getDeclarations().length !== 1 || loop.getLeadingCommentRanges().length > 0) return false;
  const text = handlerText(loop, call);
  if (text === undefined) return false;
  result.edits.push({
    start: statement.getStart(),
    end: loop.getEnd(),
    text,
    description: `${call.getText()} loop → caps.messaging.subscribe handler`,
  });
  return true;
}

export const messagingTransform: Transform = {
  kind: 'messaging',
  run(file: SourceFile): TransformResult {
    const result = createResult();
    for (const call of file.getDescendantsOfKind(SyntaxKind.CallExpression)) {
      if (isNatsCall(call, 'publish')) {
        if (call.getArguments().length === 2)
          result.edits.push(replaceCallee(call, 'caps.messaging.publish'));
        else
          result.notes.push({
            line: lineOf(call),
            message: 'publish without a payload or with options is not rewritten',
          });
      } else if (isNatsCall(call, 'subscribe') && !rewriteSubscribe(call, result)) {
        result.notes.push({
          line: lineOf(call),
          message:
            'subscription not rewritten: consume it with `for await (const m of nc.subscribe(subject))` without break/return',
        });
      }
    }
    for (const declaration of file.getImportDeclarations()) {
      if (declaration.getModuleSpecifierValue() !== 'nats') continue;
      for (const named of declaration.getNamedImports()) {
        const name = named.getName();
        if (!(CODECS as readonly string[]).includes(name) || named.getAliasNode() !== undefined) continue;
        result.removeImports.push({ module: 'nats', name });
        result.facadeImports.push(name);
      }
    }
    if (result.edits.length > 0) result.facadeImports.push('caps');
    return result;
  },
};
