"""Prints the structure of a Python Pulumi program as JSON, for tests that check it against a schema.

Usage: python3 python_program.py <file.py>

Parsed with Python's own `ast` (so a syntax error fails here, as `python3 -m py_compile` would).
Output: {"imports": {alias: module}, "assignments": {name: value}, "attributes": [dotted names]}
where a value is one of
  {"const": literal}, {"list": [values]}, {"dict": [[key, value], ...]},
  {"call": "dotted.name", "kwargs": {name: value}, "args": [values], "line": n},
  {"attr": "dotted.name"}, {"expr": "source text"} (anything else: known only when the program runs).
"""
import ast
import json
import sys


def dotted(node):
    """`a.b.c` for a chain of attributes on a name, else None."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        return ".".join([node.id] + parts[::-1])
    return None


def value(node):
    if isinstance(node, ast.Constant):
        return {"const": node.value}
    if isinstance(node, (ast.List, ast.Tuple)):
        return {"list": [value(e) for e in node.elts]}
    if isinstance(node, ast.Dict):
        return {"dict": [[value(k), value(v)] for k, v in zip(node.keys, node.values)]}
    if isinstance(node, ast.Call) and dotted(node.func):
        return {
            "call": dotted(node.func),
            "args": [value(a) for a in node.args],
            "kwargs": {k.arg: value(k.value) for k in node.keywords if k.arg},
            "line": node.lineno,
        }
    if isinstance(node, ast.Attribute) and dotted(node):
        return {"attr": dotted(node)}
    return {"expr": ast.unparse(node)}


def main(path):
    with open(path, encoding="utf-8") as f:
        tree = ast.parse(f.read(), path)
    imports, assignments, attributes = {}, {}, []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                imports[alias.asname or alias.name] = alias.name
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            assignments[node.targets[0].id] = value(node.value)
        elif isinstance(node, ast.Attribute) and dotted(node):
            attributes.append(dotted(node))
    json.dump({"imports": imports, "assignments": assignments, "attributes": attributes}, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
