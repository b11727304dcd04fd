#!/usr/bin/env python3
"""Growth of meshctl's cost on hostile input shapes (issue: hostile input).

Each shape is generated at 1x, 2x and 4x size and timed as a whole process
(median of --runs); the ratio per doubling should stay at or under 2.5 (linear
or n log n). Prints one table; exits 1 when a ratio is over the bound.

usage: benches/hostile_shapes.py [--meshctl PATH] [--runs N] [--scale F]
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

BOUND = 2.5


def vs_hosts(n):
    hosts = "".join(f"  - h{i}.example.com\n" for i in range(n))
    return {"in.yaml": "apiVersion: networking.istio.io/v1\nkind: VirtualService\n"
            "metadata: {name: vs, namespace: default}\nspec:\n  hosts:\n" + hosts +
            "  http:\n  - route:\n    - destination: {host: r.default.svc.cluster.local}\n"}


def vs_routes(n):
    routes = "".join(
        f"  - match: [{{uri: {{prefix: /p{i:06d}/}}}}]\n"
        "    route: [{destination: {host: r.default.svc.cluster.local}}]\n" for i in range(n))
    return {"in.yaml": "apiVersion: networking.istio.io/v1\nkind: VirtualService\n"
            "metadata: {name: vs, namespace: default}\nspec:\n"
            "  hosts: [r.default.svc.cluster.local]\n  http:\n" + routes}


def gateways_on_one_host(n):
    return {"in.yaml": "".join(
        f"---\napiVersion: networking.istio.io/v1\nkind: Gateway\n"
        f"metadata: {{name: g{i}, namespace: default}}\nspec:\n"
        "  selector: {istio: ingressgateway}\n  servers:\n"
        "  - port: {number: 80, name: http, protocol: HTTP}\n    hosts: [shop.example.com]\n"
        for i in range(n))}


def aliases_of_a_long_string(n):
    text = "x" * 100_000
    aliases = ", ".join(["*big"] * n)
    return {"in.yaml": f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: c}}\n"
            f"data:\n  big: &big {text}\n  many: [{aliases}]\n"}


CRD = """apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: loops.example.com}
spec:
  group: example.com
  names: {kind: Loop, plural: loops}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            x-kubernetes-validations:
            - rule: 'self.items.all(a, self.items.all(b, self.items.all(c, a + b + c >= 0)))'
            properties:
              items: {type: array, items: {type: integer}}
"""


def cel_nested_loops(n):
    items = ", ".join(str(i) for i in range(n))
    return {"crd.yaml": CRD,
            "in.yaml": f"apiVersion: example.com/v1\nkind: Loop\nmetadata: {{name: l}}\n"
                       f"spec:\n  items: [{items}]\n"}


def documents_in_one_file(n):
    return {"in.yaml": "".join(
        f"---\napiVersion: networking.istio.io/v1\nkind: VirtualService\n"
        f"metadata: {{name: vs{i}, namespace: default}}\nspec:\n  hosts: [h{i}.example.com]\n"
        "  http:\n  - route:\n    - destination: {host: r.default.svc.cluster.local}\n"
        for i in range(n))}


def findings_on_one_long_line(n):
    hosts = ",".join(f"bad_host{i}" for i in range(n))
    return {"in.yaml": "apiVersion: networking.istio.io/v1\nkind: VirtualService\n"
            "metadata: {name: vs, namespace: default}\nspec:\n"
            f"  hosts: [{hosts}]\n  http:\n  - route:\n    - destination: {{host: r}}\n"}


def simulate_count(_n):
    return {"in.yaml": "apiVersion: networking.istio.io/v1\nkind: VirtualService\n"
            "metadata: {name: r, namespace: default}\nspec:\n  hosts: [r]\n  http:\n"
            "  - route:\n    - {destination: {host: r, subset: a}, weight: 50}\n"
            "    - {destination: {host: r, subset: b}, weight: 50}\n"}


# name, generator, base size, command (in the shape's folder; {n} = size)
SHAPES = [
    ("VirtualService hosts", vs_hosts, 20_000, ["validate", "in.yaml"]),
    # 80,000 routes at 4x stay under the 8 MB document bound.
    ("VirtualService http routes", vs_routes, 20_000, ["validate", "in.yaml"]),
    ("Gateways on one host (lint)", gateways_on_one_host, 1_000, ["lint", "in.yaml"]),
    ("aliases of a 100 KB string", aliases_of_a_long_string, 1_000, ["validate", "in.yaml"]),
    ("--crd CEL all() three deep", cel_nested_loops, 1_000, ["validate", "--crd", "crd.yaml", "in.yaml"]),
    # Memory follows the largest document, not the file: see the peak column.
    ("documents in one file", documents_in_one_file, 20_000, ["validate", "in.yaml"]),
    # Each finding's snippet shows a window of the line, not all of it.
    ("findings on one long line (text)", findings_on_one_long_line, 2_000, ["validate", "in.yaml"]),
    ("simulate --count", simulate_count, 2_000_000,
     ["simulate", "-f", "in.yaml", "--request", "GET http://r.default.svc.cluster.local/", "--count", "{n}"]),
]


def write_shape(name, n, folder):
    """Writes the files of shape `name` at size `n` into `folder`."""
    generate = next(generate for shape, generate, _, _ in SHAPES if shape == name)
    for file, text in generate(n).items():
        with open(os.path.join(folder, file), "w") as out:
            out.write(text)


def timed(meshctl, args, cwd, runs):
    """Median seconds and the largest peak resident set (MB) of the runs.

    A child's peak counts the memory of the process it was forked from, so
    the shapes are written by a child of their own and this one stays small.
    """
    times, peak = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        child = subprocess.Popen([meshctl, *args], cwd=cwd, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
        _, _, usage = os.wait4(child.pid, 0)
        times.append(time.perf_counter() - start)
        peak = max(peak, usage.ru_maxrss // 1024)
    return statistics.median(times), peak


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--meshctl", default="target/release/meshctl")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scale", type=float, default=1.0, help="multiplies every base size")
    parser.add_argument("--write", nargs=3, metavar=("SHAPE", "N", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.write:
        name, n, folder = args.write
        write_shape(name, int(n), folder)
        return 0
    meshctl = os.path.abspath(args.meshctl)
    worst = 0.0
    print(f"{'shape':32} {'1x':>10} {'2x':>10} {'4x':>10} {'ratio':>7} {'peak 4x':>9}")
    for name, _, base, command in SHAPES:
        seconds, peak = [], 0
        for factor in (1, 2, 4):
            n = int(base * args.scale * factor)
            with tempfile.TemporaryDirectory() as folder:
                writer = [sys.executable, os.path.abspath(__file__), "--write", name, str(n), folder]
                subprocess.run(writer, check=True)
                argv = [a.replace("{n}", str(n)) for a in command]
                took, peak = timed(meshctl, argv, folder, args.runs)
                seconds.append(took)
        ratio = max(seconds[1] / seconds[0], seconds[2] / seconds[1])
        worst = max(worst, ratio)
        print(f"{name:32} {seconds[0]:9.3f}s {seconds[1]:9.3f}s {seconds[2]:9.3f}s {ratio:7.2f} {peak:7d}MB")
    print(f"worst ratio per doubling: {worst:.2f} (bound {BOUND})")
    return 0 if worst <= BOUND else 1


if __name__ == "__main__":
    sys.exit(main())
