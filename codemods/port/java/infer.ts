/** Just enough type inference to pick the right translation (list vs map vs data property vs bean call). */
import type { Node } from 'web-tree-sitter';
import type { JavaType } from './model.ts';
import { readType } from './read-model.ts';
import { lookupLocal, simpleType, type Scope } from './scope.ts';
import { getPropertyOfAccessor } from './names.ts';
import { getElementType, isMapType, isSortedMapType, isSortedSetType } from './types.ts';

const SAME_AS_RECEIVER = new Set([
  'stream',
  'filter',
  'sorted',
  'distinct',
  'toList',
  'limit',
  'skip',
  'peek',
]);

/** jnats calls the port carries (runtime/nats.ts), by receiver type: what they return. */
const NATS_RETURNS: Readonly<Record<string, Readonly<Record<string, JavaType>>>> = {
  Connection: { jetStream: simpleType('JetStream'), jetStreamManagement: simpleType('JetStreamManagement') },
  JetStream: { publish: simpleType('PublishAck') },
  JetStreamManagement: { getStreamNames: simpleType('List', [simpleType('String')]) },
  Headers: { add: simpleType('Headers') },
};

export function inferType(node: Node, scope: Scope): JavaType | undefined {
  switch (node.type) {
    case 'identifier': {
      const local = lookupLocal(scope, node.text);
      if (local) return local;
      return (
        scope.cls.fields.find((f) => f.name === node.text)?.type ??
        scope.cls.components.find((c) => c.name === node.text)?.type
      );
    }
    case 'field_access': {
      const object = node.childForFieldName('object');
      const name = node.childForFieldName('field')?.text ?? '';
      if (object?.type === 'this') return scope.cls.fields.find((f) => f.name === name)?.type;
      const type = object ? inferType(object, scope) : undefined;
      return type ? getMemberType(type, name, scope) : undefined;
    }
    case 'parenthesized_expression': {
      const inner = node.namedChildren[0];
      return inner ? inferType(inner, scope) : undefined;
    }
    case 'object_creation_expression': {
      const t = node.childForFieldName('type');
      return t ? readType(t) : undefined;
    }
    case 'cast_expression': {
      const t = node.childForFieldName('type');
      return t ? readType(t) : undefined;
    }
    case 'string_literal':
      return simpleType('String');
    case 'method_invocation':
      return inferCallType(node, scope);
    default:
      return undefined;
  }
}

function inferCallType(node: Node, scope: Scope): JavaType | undefined {
  const object = node.childForFieldName('object');
  const name = node.childForFieldName('name')?.text ?? '';
  if (!object) return scope.cls.methods.find((m) => m.name === name)?.returnType;
  if (object.type === 'identifier' && /^[A-Z]/.test(object.text) && !lookupLocal(scope, object.text)) {
    if (object.text === 'List' && (name === 'of' || name === 'copyOf')) return simpleType('List');
    if (object.text === 'Map' && name === 'of') return simpleType('Map');
    if (object.text === 'Set' && name === 'of') return simpleType('Set');
    return scope.ctx.classes.get(object.text)?.methods.find((m) => m.name === name)?.returnType;
  }
  // StringRedisTemplate's hash operations (runtime/redis-template.ts)
  if (object.type === 'method_invocation' && object.childForFieldName('name')?.text === 'opsForHash') {
    if (name === 'entries') return simpleType('Map', [simpleType('String'), simpleType('String')]);
    if (name === 'get') return simpleType('String');
  }
  const receiver = inferType(object, scope);
  if (!receiver) return undefined;
  if (SAME_AS_RECEIVER.has(name))
    return receiver.name === 'Stream' ? simpleType('List', receiver.args) : receiver;
  if (name === 'map' && (receiver.name === 'List' || receiver.name === 'Stream')) return simpleType('List');
  if ((name === 'map' || name === 'flatMap') && receiver.name === 'Optional') return simpleType('Optional');
  if (name === 'get' && isMapType(receiver)) return receiver.args[1];
  const nats = NATS_RETURNS[receiver.name]?.[name];
  if (nats !== undefined) return nats;
  const sorted = inferSortedCallType(receiver, name);
  if (sorted !== undefined) return sorted;
  if (name === 'get' && receiver.name === 'List') return receiver.args[0];
  if (name === 'orElseThrow' || name === 'orElse' || name === 'get') return getElementType(receiver);
  return getMemberType(receiver, name, scope);
}

/** The type of `receiver.name` or `receiver.name()` where receiver's class is known. */
export function getMemberType(receiver: JavaType, name: string, scope: Scope): JavaType | undefined {
  const cls = scope.ctx.classes.get(receiver.name);
  if (!cls) return undefined;
  const component = cls.components.find((c) => c.name === name);
  if (component) return component.type;
  const method = cls.methods.find((m) => m.name === name);
  if (method?.returnType) return method.returnType;
  const property = getPropertyOfAccessor(name) ?? name;
  const fieldDecl = cls.fields.find((f) => f.name === property);
  if (fieldDecl) return fieldDecl.type;
  // Spring Data's inherited methods.
  const repo = cls.interfaces.find((i) => i.args.length === 2);
  const entity = repo?.args[0];
  if (entity) {
    if (name === 'findById') return simpleType('Optional', [entity]);
    if (name === 'save') return entity;
    if (name === 'findAll' || name === 'findAllById' || name === 'saveAll')
      return simpleType('List', [entity]);
  }
  return undefined;
}

/** What a sorted map's or set's navigation returns: a key or element, an entry, or a view of the same type. */
function inferSortedCallType(receiver: JavaType, name: string): JavaType | undefined {
  if (isSortedMapType(receiver)) {
    if (/^(first|last|ceiling|floor|higher|lower)Key$/.test(name)) return receiver.args[0];
    if (/^(first|last|ceiling|floor|higher|lower|pollFirst|pollLast)Entry$/.test(name))
      return simpleType('Map.Entry', receiver.args);
    if (/^(head|tail|sub|descending)Map$/.test(name)) return receiver;
  }
  if (isSortedSetType(receiver)) {
    if (/^(first|last|ceiling|floor|higher|lower|pollFirst|pollLast)$/.test(name)) return receiver.args[0];
    if (/^(head|tail|sub|descending)Set$/.test(name)) return receiver;
  }
  return undefined;
}
