#!/usr/bin/env python3
"""Import cycles between the files of src/ (issue 15: none allowed).

Each file is a module (src/a/b.rs and src/a/b/mod.rs are crate::a::b). A
file depends on another when its code (outside `#[cfg(test)]` modules)
names a path into that module: `use crate::..`, `use super::..`, or an
inline `crate::a::b::Item`. A parent's `mod child;` line is not a use.
Prints every strongly connected group of two or more files and exits 1
when there is one.

    .ci/cycles.py [SRC_DIR]
"""
import os
import re
import sys

SRC = sys.argv[1] if len(sys.argv) > 1 else "src"


def module_of(path):
    rel = os.path.relpath(path, SRC)[:-3].split(os.sep)
    if rel[-1] in ("mod", "lib", "main"):
        rel = rel[:-1]
    return tuple(rel)


files = {}
for root, _, names in os.walk(SRC):
    for n in names:
        if n.endswith(".rs"):
            p = os.path.join(root, n)
            m = module_of(p)
            # Test modules (a tests.rs file or folder) are not part of the graph.
            if "tests" in m:
                continue
            files[m] = p
modules = set(files)


def strip(text):
    """The code without comments, strings and `#[cfg(test)]` items."""
    text = re.sub(r"//[^\n]*", "", text)
    text = re.sub(r'"(\\.|[^"\\])*"', '""', text)
    out, i = [], 0
    for m in re.finditer(r"#\[cfg\(test\)\]\s*mod\s+\w+\s*\{", text):
        if m.start() < i:
            continue
        out.append(text[i:m.start()])
        depth, j = 1, m.end()
        while j < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[j], 0)
            j += 1
        i = j
    out.append(text[i:])
    return "".join(out)


def resolve(me, segs):
    """The module a path names (longest known prefix), from module `me`."""
    if segs[0] == "crate":
        base, rest = (), segs[1:]
    elif segs[0] in ("super", "self"):
        base = me
        # In mod.rs files `super` is the parent of the folder's module.
        while segs and segs[0] in ("super", "self"):
            if segs[0] == "super":
                base = base[:-1]
            segs = segs[1:]
        rest = segs
    else:
        return None
    best = None
    for k in range(len(rest) + 1):
        cand = base + tuple(rest[:k])
        if cand in modules:
            best = cand
    return best


def paths(code):
    """Every `crate::`/`super::`/`self::` path, with use-groups expanded."""
    found = []
    for m in re.finditer(r"\buse\s+([^;]+);", code):
        found += expand(re.sub(r"\s+", "", m.group(1)))
    for m in re.finditer(r"\b((?:crate|super)(?:::\w+)+)", code):
        found.append(m.group(1).split("::"))
    return found


def expand(tree, prefix=()):
    out = []
    if "{" not in tree:
        return [list(prefix) + tree.split(" as ")[0].split("::")]
    head, _, body = tree.partition("{")
    body = body[: body.rfind("}")]
    head_segs = tuple(s for s in head.split("::") if s)
    depth, cur, parts = 0, "", []
    for ch in body:
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
            continue
        depth += {"{": 1, "}": -1}.get(ch, 0)
        cur += ch
    parts.append(cur)
    for p in parts:
        if p:
            out += expand(p, prefix + head_segs)
    return out


edges = {m: set() for m in modules}
for m, p in files.items():
    code = strip(open(p, encoding="utf-8").read())
    for segs in paths(code):
        t = resolve(m, [s for s in segs if s])
        if t is not None and t != m and t[: len(m)] != m:
            # A module naming its own descendants is structure, not a cycle.
            edges[m].add(t)

# Tarjan's strongly connected components.
index, low, stack, on, sccs, n = {}, {}, [], set(), [], [0]
sys.setrecursionlimit(10000)


def visit(v):
    index[v] = low[v] = n[0]
    n[0] += 1
    stack.append(v)
    on.add(v)
    for w in edges[v]:
        if w not in index:
            visit(w)
            low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop()
            on.discard(w)
            comp.append(w)
            if w == v:
                break
        if len(comp) > 1:
            sccs.append(comp)


for v in sorted(modules):
    if v not in index:
        visit(v)

name = lambda m: "::".join(m) or "crate"
for comp in sccs:
    print("cycle:", ", ".join(sorted(name(m) for m in comp)))
    for a in sorted(comp):
        for b in sorted(edges[a] & set(comp)):
            print(f"  {name(a)} -> {name(b)}")
print(f"{len(modules)} modules, {sum(len(e) for e in edges.values())} dependencies, {len(sccs)} cycles")
sys.exit(1 if sccs else 0)
