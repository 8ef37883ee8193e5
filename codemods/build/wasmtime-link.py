"""Links a component against runtimes' host worlds with the real Wasmtime (its Python binding), and instantiates it.

Run by codemods/build/wasmtime-check.ts: reads one JSON request on stdin, prints one JSON result on stdout.

Request: {"wasm": path, "cacheDir": path|null, "optLevel": "none"|"speed", "runtimes": [{"id", "instances":
{name: {"funcs": [...], "resources": [...]}}}], "bench": {"instances": n}|null}

Each runtime's linker holds Wasmtime's own WASI 0.2 and wasi:http (add_wasip2, add_wasi_http) plus a stub for every
other interface the runtime's WIT world imports (functions and resources by name: linking checks names and
versions, not signatures). An import that does not link is recorded, stubbed as a trap, and the link retried, so
every failing import is named, not only the first.
"""

import hashlib
import json
import os
import re
import sys
import time

import wasmtime
from wasmtime import component as cm

MISSING_RE = re.compile(r"component imports (?:instance|function|resource|module) `([^`]+)`")


def make_engine(opt_level):
    config = wasmtime.Config()
    config.cranelift_opt_level = opt_level
    return wasmtime.Engine(config)


def load_component(engine, wasm, cache_dir, opt_level):
    """Compiles the component, or loads it from the compiled-code cache keyed by content and engine settings."""
    with open(wasm, "rb") as handle:
        data = handle.read()
    key = hashlib.sha256(data + f"\0wasmtime-49\0{opt_level}".encode()).hexdigest()
    cached = None if cache_dir is None else os.path.join(cache_dir, key + ".cwasm")
    started = time.perf_counter()
    if cached is not None and os.path.exists(cached):
        try:
            return cm.Component.deserialize_file(engine, cached), (time.perf_counter() - started) * 1000, True
        except wasmtime.WasmtimeError:
            pass  # written by another Wasmtime build: compile again
    component = cm.Component(engine, data)
    compile_ms = (time.perf_counter() - started) * 1000
    if cached is not None:
        os.makedirs(cache_dir, exist_ok=True)
        tmp = f"{cached}.{os.getpid()}.tmp"
        with open(tmp, "wb") as handle:
            handle.write(component.serialize())
        os.replace(tmp, cached)
    return component, compile_ms, False


def stub(*_args):
    raise wasmtime.WasmtimeError("stub: the runtime's host is not part of this check")


def build_linker(engine, component, instances, skip):
    linker = cm.Linker(engine)
    linker.add_wasip2()
    linker.add_wasi_http()
    resource_id = 0
    with linker.root() as root:
        for name, iface in instances.items():
            if name in skip:
                continue
            try:
                inst = root.add_instance(name)
            except wasmtime.WasmtimeError:
                continue  # Wasmtime's own WASI already defines it (e.g. another 0.2.x of wasi:cli)
            with inst:
                for resource in iface["resources"]:
                    resource_id += 1
                    inst.add_resource(resource, cm.ResourceType.host(resource_id), lambda _store, _rep: None)
                for func in iface["funcs"]:
                    try:
                        inst.add_func(func, stub)
                    except wasmtime.WasmtimeError:
                        pass  # a name this Wasmtime does not take (e.g. an async form): not importable either
        # An import that did not link is stubbed from the component's own type, so the next one can be found.
        imports = component.type.imports(engine)
        for name in skip:
            item = imports[name].ty if name in imports else None
            if not isinstance(item, cm.ComponentInstanceType):
                continue
            with root.add_instance(name) as inst:
                for export, ext in item.exports(engine).items():
                    kind = ext.ty
                    if isinstance(kind, cm.ResourceType):
                        resource_id += 1
                        inst.add_resource(export, cm.ResourceType.host(resource_id), lambda _store, _rep: None)
                    elif isinstance(kind, cm.FuncType):
                        inst.add_func(export, stub)
    return linker


def link(engine, component, instances):
    """Instantiates against the runtime; returns (instance or None, [{"import", "message"}])."""
    missing = []
    skip = set()
    while True:
        linker = build_linker(engine, component, instances, skip)
        store = wasmtime.Store(engine)
        store.set_wasi(wasmtime.WasiConfig())
        try:
            instance = linker.instantiate(store, component)
            return (store, instance), missing
        except wasmtime.WasmtimeError as error:
            message = str(error)
            match = MISSING_RE.search(message)
            name = match.group(1) if match else None
            if name is None or name in skip:
                missing.append({"import": name or "", "message": message})
                return None, missing
            missing.append({"import": name, "message": message.split("\n")[0]})
            skip.add(name)


def rss_kb():
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def bench(engine, component, instances, count):
    """Time per new instance and RSS per idle instance, instances kept alive."""
    _, missing = link(engine, component, instances)
    linker = build_linker(engine, component, instances, {m["import"] for m in missing})
    kept = []
    for _ in range(3):  # warm up
        store = wasmtime.Store(engine)
        store.set_wasi(wasmtime.WasiConfig())
        linker.instantiate(store, component)
    before = rss_kb()
    started = time.perf_counter()
    for _ in range(count):
        store = wasmtime.Store(engine)
        store.set_wasi(wasmtime.WasiConfig())
        kept.append((store, linker.instantiate(store, component)))
    elapsed = (time.perf_counter() - started) * 1000
    after = rss_kb()
    return {"instances": count, "instanceMs": elapsed / count, "rssPerInstanceMb": (after - before) / 1024 / count}


def main():
    request = json.load(sys.stdin)
    opt_level = request.get("optLevel", "none")
    engine = make_engine(opt_level)
    component, compile_ms, from_cache = load_component(engine, request["wasm"], request.get("cacheDir"), opt_level)
    imports = sorted(component.type.imports(engine).keys())
    results = []
    for runtime in request["runtimes"]:
        linked, missing = link(engine, component, runtime["instances"])
        results.append({"id": runtime["id"], "links": not missing, "instantiated": linked is not None and not missing,
                        "missing": missing})
    out = {"wasmtime": "49.0.0", "compileMs": compile_ms, "fromCache": from_cache, "imports": imports,
           "results": results}
    if request.get("bench"):
        out["bench"] = bench(engine, component, request["runtimes"][0]["instances"], request["bench"]["instances"])
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    try:
        main()
    except wasmtime.WasmtimeError as error:
        json.dump({"error": str(error)}, sys.stdout)
        sys.exit(3)
