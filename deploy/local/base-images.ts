/**
 * The images a Dockerfile builds FROM, with `ARG` defaults and the run's build arguments substituted, without
 * `scratch` and earlier stages: what must be in the engine (or pullable) before the build can start. Pure.
 */
export function getBaseImages(dockerfile: string, buildArgs: Readonly<Record<string, string>>): string[] {
  const args: Record<string, string> = {};
  const stages = new Set<string>();
  const images: string[] = [];
  const lines = dockerfile.replace(/\\\r?\n/g, ' ').split(/\r?\n/);
  let seenFrom = false;
  for (const raw of lines) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const arg = /^ARG\s+([A-Za-z_][A-Za-z0-9_]*)(?:=(.*))?$/i.exec(line);
    if (arg !== null && !seenFrom) {
      const name = arg[1]!;
      args[name] = buildArgs[name] ?? (arg[2] ?? '').replace(/^["']|["']$/g, '');
      continue;
    }
    const from = /^FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from === null) continue;
    seenFrom = true;
    const image = from[1]!.replace(
      /\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g,
      (_m, name: string) => buildArgs[name] ?? args[name] ?? '',
    );
    if (image !== 'scratch' && !stages.has(image.toLowerCase()) && !images.includes(image))
      images.push(image);
    if (from[2] !== undefined) stages.add(from[2].toLowerCase());
  }
  return images;
}
