#!/usr/bin/env python3
"""Generate a large synthetic repository for the twelve benchmark, deterministically.

The tree mixes JS/TS, Python, Ruby, PHP, Go, Java, config and data files, a few minified
bundles, and a node_modules folder that twelve must skip. One code file in every
VIOLATION_EVERY gets one planted violation from a known list, so the benchmark can check
the number of findings as well as the time. Writes <out>/.bench-expected.json.

Usage: gen_tree.py OUT [--files 100000] [--mb 1000] [--seed 12]
"""
import argparse
import json
import os
import random

VIOLATION_EVERY = 50

# (extension, share of files, comment prefix, filler line templates)
KINDS = [
    ("js", 0.18, "//", [
        "const {a} = require('./{b}');",
        "function {a}({b}, {c}) {{ return {b}.map((x) => x + {n}); }}",
        "module.exports.{a} = async ({b}) => {{ await {c}.save({b}); }};",
        "if ({a} && {b}.length > {n}) {{ console.log('{a} ready', {b}); }}",
        "app.get('/{a}/:id', async (req, res) => res.json(await {b}.find(req.params.id)));",
    ]),
    ("ts", 0.14, "//", [
        "export interface {A} {{ {a}: string; {b}: number; }}",
        "export const {a} = ({b}: {A}): number => {b}.{c} * {n};",
        "import {{ {A} }} from './{b}';",
        "const {a}: Record<string, number> = {{ {b}: {n}, {c}: {n} }};",
    ]),
    ("py", 0.15, "#", [
        "def {a}({b}, {c}=None):\n    return [{b} for {b} in {c} or [] if {b} > {n}]",
        "from .{a} import {A}",
        "class {A}({B}):\n    {a} = models.CharField(max_length={n})",
        "logger.info('%s processed %d', {a}, {n})",
    ]),
    ("rb", 0.09, "#", [
        "def {a}({b})\n  {b}.each {{ |x| puts x + {n} }}\nend",
        "class {A} < ApplicationRecord\n  has_many :{a}s\nend",
        "{a} = {A}.where({b}: params[:{b}]).limit({n})",
    ]),
    ("php", 0.09, "//", [
        "<?php\nfunction {a}(${b}) {{ return array_map(fn($x) => $x + {n}, ${b}); }}",
        "${a} = ${b}->{c}()->where('{a}', {n})->get();",
        "use App\\Models\\{A};",
    ]),
    ("go", 0.08, "//", [
        "func {A}({b} int) int {{ return {b} * {n} }}",
        "if err := {a}.{B}(ctx, {b}); err != nil {{ return err }}",
        "type {A} struct {{ {B} string; {C} int }}",
    ]),
    ("java", 0.08, "//", [
        "public {A} {a}({B} {b}) {{ return {b}.{c}({n}); }}",
        "private final {A} {a} = new {A}();",
        "@GetMapping(\"/{a}\") public List<{A}> {b}() {{ return repo.findAll(); }}",
    ]),
    ("yml", 0.05, "#", ["{a}:\n  {b}: {n}\n  {c}: \"{a}-{b}\""]),
    ("json", 0.05, None, ["{{\"{a}\": {n}, \"{b}\": \"{c}\"}}"]),
    ("properties", 0.02, "#", ["{a}.{b}.{c}={n}"]),
    ("md", 0.03, None, ["## {A}\n\nThe {a} module handles {b} and {c} ({n} items)."]),
    ("csv", 0.04, None, ["{n},{a},{b},{c},{n}"]),
]

# One planted violation per language, each firing exactly one rule once.
VIOLATIONS = {
    "js": ("hardcoded-port", "app.listen(3000);"),
    "ts": ("hardcoded-secret", "const stripeKey = 'sk_live_4eC39HqLyjWDarjtT1zdp7dc';"),
    "py": ("backing-service-url", "SQLALCHEMY_DATABASE_URI = 'postgresql://app:Zx9fK2pQ@10.0.3.12:5432/app'"),
    "rb": ("backing-service-url", "REDIS = Redis.new(url: 'redis://cache.internal:6379/0')"),
    "php": ("local-file-storage", "move_uploaded_file($_FILES['f']['tmp_name'], '/var/uploads/f');"),
    "go": ("hardcoded-port", "func serve() { http.ListenAndServe(\":8080\", nil) }"),
    "java": ("local-file-storage", "void keep(MultipartFile file) throws IOException { file.transferTo(new File(\"/data/\" + name)); }"),
}

WORDS = ("user order item cart price stock account session token report invoice "
         "payment product review search index cache queue worker email upload image "
         "profile config route model view store event message channel").split()


def ident(rng):
    return rng.choice(WORDS) + rng.choice(WORDS).capitalize() + str(rng.randrange(100))


def line(rng, template):
    a, b, c = ident(rng), ident(rng), ident(rng)
    return template.format(a=a, b=b, c=c, A=a[:1].upper() + a[1:], B=b[:1].upper() + b[1:],
                           C=c[:1].upper() + c[1:], n=rng.randrange(1, 9999))


def body(rng, kind, size):
    _, _, comment, templates = kind
    out, total = [], 0
    while total < size:
        text = line(rng, rng.choice(templates))
        if comment and rng.random() < 0.1:
            text = f"{comment} {text.splitlines()[0]}"
        out.append(text)
        total += len(text) + 1
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--files", type=int, default=100_000)
    parser.add_argument("--mb", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    mean = args.mb * 1024 * 1024 // args.files
    weights = [k[1] for k in KINDS]
    expected = {}
    written = 0
    for i in range(args.files):
        kind = rng.choices(KINDS, weights)[0]
        ext = kind[0]
        folder = os.path.join(args.out, f"svc{i % 40}", f"mod{i % 997}")
        os.makedirs(folder, exist_ok=True)
        size = int(rng.expovariate(1 / mean)) + 200
        lines = body(rng, kind, size)
        if ext in VIOLATIONS and i % VIOLATION_EVERY == 0:
            rule, text = VIOLATIONS[ext]
            lines.insert(rng.randrange(len(lines) + 1), text)
            expected[rule] = expected.get(rule, 0) + 1
        data = "\n".join(lines) + "\n"
        with open(os.path.join(folder, f"f{i}.{ext}"), "w") as f:
            f.write(data)
        written += len(data)
    # A few minified bundles: one very long line each (scanned, like any JS file).
    dist = os.path.join(args.out, "web", "assets")
    os.makedirs(dist, exist_ok=True)
    for i in range(5):
        data = ";".join(line(rng, rng.choice(KINDS[0][3])) for _ in range(4000)) + "\n"
        with open(os.path.join(dist, f"bundle{i}.js"), "w") as f:
            f.write(data)
        written += len(data)
    # Dependencies twelve must skip: violations in here must never be reported.
    nm = os.path.join(args.out, "node_modules", "left-pad")
    os.makedirs(nm, exist_ok=True)
    for i in range(200):
        with open(os.path.join(nm, f"m{i}.js"), "w") as f:
            f.write("app.listen(3000);\n" * 50)
    with open(os.path.join(args.out, ".bench-expected.json"), "w") as f:
        json.dump({"files": args.files, "bytes": written, "findings": expected}, f, indent=2)
    print(f"wrote {args.files} files, {written / 1e6:.0f} MB, planted {sum(expected.values())} violations")


if __name__ == "__main__":
    main()
