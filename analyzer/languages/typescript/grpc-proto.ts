/**
 * The gRPC services a Node service's `.proto` files declare (`package shop; service Greeter { rpc SayHello… }`),
 * to give its GRPC endpoints their wire paths: the proto package (which `addService(pkg.Greeter.service, …)`
 * does not show when the package object was taken out first) and the methods' names as the proto spells them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Endpoint } from '../../model.ts';

export interface ProtoService {
  /** `shop.Greeter` (no package: `Greeter`). */
  fullName: string;
  name: string;
  methods: string[];
}

const MAX_DEPTH = 6;

/** Pure: the services of one .proto text. */
export function parseProtoServices(text: string): ProtoService[] {
  const source = text.replace(/\/\/[^\n]*/g, '').replace(/\/\*[\s\S]*?\*\//g, '');
  const pkg = /\bpackage\s+([\w.]+)\s*;/.exec(source)?.[1];
  const services: ProtoService[] = [];
  for (const m of source.matchAll(/\bservice\s+(\w+)\s*\{([\s\S]*?)\n\s*\}/g)) {
    const name = m[1] ?? '';
    const methods = [...(m[2] ?? '').matchAll(/\brpc\s+(\w+)\s*\(/g)].map((r) => r[1] ?? '');
    services.push({ name, fullName: pkg === undefined ? name : `${pkg}.${name}`, methods });
  }
  return services;
}

/** Reads the .proto files under the directories (node_modules skipped). */
export function readProtoServices(dirs: readonly string[]): ProtoService[] {
  const services: ProtoService[] = [];
  const seen = new Set<string>();
  const visit = (dir: string, depth: number): void => {
    if (depth > MAX_DEPTH || seen.has(dir)) return;
    seen.add(dir);
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.isDirectory() && e.name !== 'node_modules' && !e.name.startsWith('.'))
        visit(join(dir, e.name), depth + 1);
      else if (e.isFile() && e.name.endsWith('.proto'))
        services.push(...parseProtoServices(readFileSync(join(dir, e.name), 'utf8')));
    }
  };
  for (const dir of dirs) visit(dir, 0);
  return services;
}

const lower = (s: string): string => s.toLowerCase();

/**
 * Rewrites GRPC endpoints `/Svc/Method` to the proto's `/pkg.Svc/Method`; an implementation passed by name
 * (`/Svc/*`) becomes one endpoint per rpc of the service. Endpoints with no matching proto stay as found.
 */
export function applyProtoServices(
  endpoints: readonly Endpoint[],
  protos: readonly ProtoService[],
): Endpoint[] {
  if (protos.length === 0) return [...endpoints];
  return endpoints.flatMap((e) => {
    if (e.method !== 'GRPC') return [e];
    const [, service = '', method = ''] = /^\/(.+)\/([^/]+)$/.exec(e.path) ?? [];
    const last = service.split('.').pop() ?? service;
    const proto =
      protos.find((p) => p.fullName === service) ??
      protos.find((p) => p.name === last && service.split('.').length <= 1);
    if (proto === undefined) return [e];
    if (method === '*') return proto.methods.map((m) => ({ ...e, path: `/${proto.fullName}/${m}` }));
    const named = proto.methods.find((m) => lower(m) === lower(method)) ?? method;
    return [{ ...e, path: `/${proto.fullName}/${named}` }];
  });
}
