#!/usr/bin/env python3
"""Refresh docs/api/openapi.json from the route table (`envgov routes --json`) while keeping
every hand-written part of the file: new routes get a generated operation, operations whose
route disappeared are dropped, existing operations are left as they are. Component schemas are
maintained by hand in the file. tests/e2e/openapi.test.mjs fails when the two disagree, so run
this after adding routes:  python3 scripts/gen-openapi.py build/envgov
Each operation's x-module names the module whose descriptor declares the route, and x-roles the
roles the route admits ("public" for routes without a login)."""
import json, re, subprocess, sys

binary = sys.argv[1] if len(sys.argv) > 1 else "build/envgov"
path = "docs/api/openapi.json"
routes = json.loads(subprocess.check_output([binary, "routes", "--json"]))
try:
    doc = json.load(open(path))
except FileNotFoundError:
    doc = {}
doc.setdefault("openapi", "3.0.3")
doc.setdefault("info", {"title": "envgov API", "version": "1"})
doc.setdefault("paths", {})
doc.setdefault("components", {})
wanted = {}
for r in routes:
    wanted.setdefault(r["path"], {})[r["method"].lower()] = r
for p in list(doc["paths"]):
    for m in list(doc["paths"][p]):
        if m in ("get", "post", "put", "patch", "delete") and m not in wanted.get(p, {}):
            del doc["paths"][p][m]
    if not any(k in doc["paths"][p] for k in ("get", "post", "put", "patch", "delete")):
        del doc["paths"][p]
for p, methods in wanted.items():
    item = doc["paths"].setdefault(p, {})
    params = [{"name": n, "in": "path", "required": True, "schema": {"type": "string"}}
              for n in re.findall(r"{(\w+)}", p)]
    if params:
        item["parameters"] = params
    for m, r in methods.items():
        if m in item:
            item[m]["summary"] = r["summary"]
            item[m]["x-module"] = r["module"]
            item[m]["x-roles"] = "public" if r["public"] else r["roles"]
            continue
        op = {"summary": r["summary"], "tags": [p.split("/")[3] if p.startswith("/api/v1/") else "platform"],
              "responses": {"200": {"description": "OK"},
                            "default": {"description": "Error",
                                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}}
        op["x-module"] = r["module"]
        op["x-roles"] = "public" if r["public"] else r["roles"]
        if r["public"]:
            op["security"] = []
        item[m] = op
json.dump(doc, open(path, "w"), ensure_ascii=False, indent=2)
open(path, "a").write("\n")
print(f"{path}: {sum(len(v) for v in wanted.values())} operations")
