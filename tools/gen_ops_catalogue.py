#!/usr/bin/python3
"""Writes docs/OPS.md, the op catalogue, from the code (never edit OPS.md by hand).

One row per op, grouped by family (the section comments of compute.h, then one family per
header in native/include/compute/ops/):
  - C ABI: the functions of the op (out of place, in-place `_`, variants such as `_dtype`,
    `_scalar`, `_tensor`, `_dim`), read with bindings/generate.py's libclang parser;
  - PyTorch: the name the header's doc comment gives (`torch.max(x, dim)`, `x.sum(...)`,
    `F.relu`), else the op's name looked up in torch, torch.Tensor, torch.nn.functional,
    torch.linalg and torch.special (PyTorch must be importable);
  - C#: the public and internal methods of managed/Compute whose bodies call the op's
    NativeMethods wrappers (or that forward to exactly one such method, e.g. Functional.Relu);
  - dtypes: classified from the dtype sentences of the header's doc comments by DTYPE_RULES
    below. The header is the ABI's contract and is reviewed with every op, so the column
    follows the code as long as the doc comments say what the op accepts; an op whose docs
    say nothing shows "not stated in the header" (a prompt to document it);
  - backward: whether a cmp_<op>_backward function exists.

Usage:
  /usr/bin/python3 tools/gen_ops_catalogue.py            # (re)writes docs/OPS.md
  /usr/bin/python3 tools/gen_ops_catalogue.py --check    # exits 1 when docs/OPS.md is stale
"""
import argparse
import difflib
import glob
import json
import os
import re
import sys
from collections import OrderedDict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bindings"))
import generate as bindings  # noqa: E402  (the bindings generator's header parser and naming)

OUTPUT = os.path.join(ROOT, "docs", "OPS.md")
OPS_DIR = os.path.join(ROOT, "native", "include", "compute", "ops")
MANAGED_DIR = os.path.join(ROOT, "managed", "Compute")

# compute.h sections that hold no ops (library state, handles, tensor metadata, interop).
NON_OP_SECTIONS = {"Library", "Handles", "Metadata", "DLPack exchange", "CUDA streams and events"}

# Suffixes that make a variant of one op rather than another op: cmp_clamp_tensor_ and
# cmp_clamp are both `clamp`; cmp_max_dim is torch.max(x, dim).
VARIANT_SUFFIXES = ("_", "_dtype", "_scalar", "_tensor", "_dim", "_rounding", "_value")

# (pattern over the op's doc comments, lower case) -> dtype summary; first match wins.
# The patterns are the phrasings the headers use; a new phrasing that matches none shows
# up as "not stated in the header" rather than as a guess.
DTYPE_RULES = [
    # The explicit form "Dtypes: <summary>." is taken as written.
    (r"\bdtypes: ([^.]+)\.", None),
    (r"floating (dtypes|inputs) only|must be floating|dtype floating|one floating dtype|floating point only",
     "floating"),
    (r"integer and bool (dtypes|inputs) only", "integer, bool"),
    (r"for integer dtypes.*for bool", "integer, bool"),
    (r"integer and bool inputs give float32", "all; integer/bool give float32"),
    (r"integer inputs give float32", "all; integer gives float32"),
    (r"integer and bool inputs (give|sum to) int64", "all; integer/bool give int64"),
    (r"not (defined )?for bool", "all but bool"),
    (r"any dtypes?|type promotion|dtypes promote|same dtype", "all"),
    (r"\bfloating(-point)? (inputs?|tensors?|dtypes?)\b", "floating"),
]
NOT_STATED = "not stated in the header"


class CatalogueError(Exception):
    pass


# --- the header side ---------------------------------------------------------------------

def header_sections():
    """[(title, header file, first line)] for compute.h's sections and each ops/*.h file."""
    core = os.path.join(ROOT, "native", "include", "compute", "compute.h")
    lines = open(core, encoding="utf-8").read().splitlines()
    sections = []
    for i, line in enumerate(lines):
        # A section is a /* ---- rule followed by " * Title. More text"
        if line.startswith("/* ----") and i + 1 < len(lines):
            title = lines[i + 1].lstrip(" *").strip()
            title = re.split(r"[.:(]", title)[0].strip()
            sections.append((title, core, i + 1))
    families = []
    for path in sorted(glob.glob(os.path.join(OPS_DIR, "*.h"))):
        text = open(path, encoding="utf-8").read()
        m = re.search(r"part of the C ABI: (.*?)\s*\(issue \d+\)\.|part of the C ABI: (.*?)\.\n", text)
        title = (m.group(1) or m.group(2)) if m else os.path.basename(path)
        families.append((f"{os.path.basename(path)[:-2]}: {title}", path, 0))
    return sections, families


def declaration_sites(paths):
    """function name -> (header path, line) of its CMP_API declaration."""
    sites = {}
    for path in paths:
        for number, line in enumerate(open(path, encoding="utf-8"), 1):
            m = re.search(r"\bCMP_API\b.*?\b(cmp_\w+)\s*\(", line)
            if m:
                sites[m.group(1)] = (path, number)
    return sites


def op_key(c_name):
    """The op a function belongs to, and whether it is a backward kernel."""
    name = c_name[len("cmp_"):]
    if "_backward" in name:
        return name.split("_backward")[0], True
    changed = True
    while changed:
        changed = False
        for suffix in VARIANT_SUFFIXES:
            if name.endswith(suffix) and len(name) > len(suffix):
                name, changed = name[: -len(suffix)], True
    return name, False


def classify_dtypes(docs):
    text = " ".join(d for d in docs if d).lower()
    for pattern, summary in DTYPE_RULES:
        m = re.search(pattern, text)
        if m:
            return summary or m.group(1)
    return NOT_STATED


# --- the PyTorch side ----------------------------------------------------------------------

DOC_TORCH_NAME = re.compile(
    r"\(((?:torch\.(?:[A-Za-z_]\w*\.)*|F\.|x\.)[A-Za-z_0-9]+(?:/[A-Za-z_0-9]+)*)")


def pytorch_name(key, docs, torch):
    for doc in docs:
        m = DOC_TORCH_NAME.search(doc or "")
        if m:
            name = m.group(1)
            if name.startswith("x."):
                return "Tensor." + name[2:]
            return name.replace("torch.nn.functional.", "F.").replace("torch.Tensor.", "Tensor.")
    if torch is None:
        return None
    candidates = [(torch, "torch."), (torch.nn.functional, "F."), (torch.Tensor, "Tensor."),
                  (torch.linalg, "torch.linalg."), (torch.special, "torch.special.")]
    for name in (key, key + "_"):
        for module, prefix in candidates:
            if hasattr(module, name):
                return prefix + name
    return "none"


# --- the C# side ---------------------------------------------------------------------------

DECL = re.compile(
    r"\b(?:public|internal)\s+(?:(?:static|override|unsafe|new|virtual|sealed|readonly|partial|extern)\s+)*"
    r"(?:\([^()]*\)|[\w.<>\[\],?]+)(?:\s*<[^>]*>)?\s+(operator\s*[^\s(]+|\w+)\s*(?:<[^>]*>)?\s*(?:\(|=>|\{)")
ANY_DECL = re.compile(
    r"\b(?:public|internal|private|protected)\s+(?:(?:static|override|unsafe|new|virtual|sealed|readonly|partial|extern)\s+)*"
    r"(?:\([^()]*\)|[\w.<>\[\],?]+)(?:\s*<[^>]*>)?\s+(operator\s*[^\s(]+|\w+)\s*(?:<[^>]*>)?\s*(?:\(|=>|\{)")
CLASS = re.compile(r"\b(?:class|struct)\s+(\w+)")


def strip_comments_and_strings(text):
    text = re.sub(r"//[^\n]*", "", text)
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return re.sub(r'\$?@?"(?:[^"\\\n]|\\.)*"', '""', text)


def managed_methods():
    """[(Class.Method, body text)] for every member declaration of managed/Compute.

    A member's body is taken as the text up to the next member declaration: good enough to
    see which NativeMethods wrappers and which other members it calls.
    """
    members = []
    for path in sorted(glob.glob(os.path.join(MANAGED_DIR, "**", "*.cs"), recursive=True)):
        rel = os.path.relpath(path, MANAGED_DIR)
        if rel.startswith(("bin" + os.sep, "obj" + os.sep, "Native" + os.sep)):
            continue
        text = strip_comments_and_strings(open(path, encoding="utf-8").read())
        classes = [(m.start(), m.group(1)) for m in CLASS.finditer(text)]
        decls = list(ANY_DECL.finditer(text))
        for i, m in enumerate(decls):
            end = decls[i + 1].start() if i + 1 < len(decls) else len(text)
            if CLASS.match(text, m.end(1) - len(m.group(1)) - 7) or re.match(
                    r"[^(]*\b(?:class|struct|record|interface|enum)\s", m.group(0)):
                continue  # a type declaration: only a boundary
            owner = [name for pos, name in classes if pos < m.start()]
            visible = DECL.match(text, m.start()) is not None
            members.append((f"{owner[-1] if owner else '?'}.{m.group(1)}", text[m.start():end], visible))
    return members


def csharp_names(functions, emitter):
    """C function -> sorted C# member names calling it (directly or through one forwarder)."""
    wrapper_to_c = {}
    for c_name in functions:
        wrapper_to_c[emitter.wrapper_name(c_name)] = c_name
        wrapper_to_c[c_name] = c_name
    members = managed_methods()
    direct = {}
    for name, body, visible in members:
        calls = {wrapper_to_c[w] for w in re.findall(r"NativeMethods\.(\w+)", body) if w in wrapper_to_c}
        if calls:
            # Overloads share a name (Div(other) and Div(other, roundingMode) call different
            # ops): the name gets the union of their calls, visible when any overload is.
            prev_calls, prev_visible = direct.get(name, (set(), False))
            direct[name] = (prev_calls | calls, prev_visible or visible)
    by_function = {}
    for name, (calls, visible) in direct.items():
        if visible:
            for c_name in calls:
                by_function.setdefault(c_name, set()).add(name)
    # Forwarders: a visible member with no NativeMethods call of its own that calls members of
    # exactly one op (Functional.Relu -> Tensor.Relu / Tensor.ReluInPlace; operator + -> Add).
    short, private, public = {}, set(), set()
    for name, (calls, visible) in direct.items():
        short.setdefault(name.split(".", 1)[1], set()).update(calls)
        (public if visible else private).add(name if not visible else name.split(".", 1)[1])
    for name, body, visible in members:
        if not visible or name in direct:
            continue
        # Only callees named like the member (Relu, ReluInPlace, LayerNormWithStats for
        # LayerNorm), private helpers (AdaptiveMaxPool2d -> AdaptiveMaxPoolNd), or any callee
        # for an operator, so that a member merely using an op (a list's Add) is not listed
        # under it.
        owner, own = name.split(".", 1)
        called, callees = set(), set()
        for callee in re.findall(r"\b(\w+)\s*\(", body):
            helper = f"{owner}.{callee}" in private  # a private helper of the same class
            if (own.startswith("operator") or callee.startswith(own) or helper) and callee in short:
                called |= direct[f"{owner}.{callee}"][0] if helper else short[callee]
                callees.add(callee)
        # One op, or a public member of the same name whose overloads call several (Module.To
        # -> Tensor.To, which is to_dtype or to_device).
        if called and (len({op_key(c)[0] for c in called}) == 1 or (callees == {own} and own in public)):
            for c_name in called:
                by_function.setdefault(c_name, set()).add(name)
    return by_function


# --- the catalogue -------------------------------------------------------------------------

def build_catalogue():
    with open(os.path.join(ROOT, "bindings", "config.json"), encoding="utf-8") as f:
        config = json.load(f)
    model = bindings.parse_header(os.path.join(ROOT, config["header"]))
    emitter = bindings.Emitter(config, model)
    sections, families = header_sections()
    sites = declaration_sites([sections[0][1]] + [path for _, path, _ in families])
    try:
        import torch
    except ImportError:
        torch = None

    groups = OrderedDict((title, OrderedDict()) for title, _, _ in sections + families
                         if title not in NON_OP_SECTIONS)
    docs = {}
    for c_name, doc, _, _ in model.functions:
        if c_name not in sites:
            raise CatalogueError(f"{c_name} is declared but not on a CMP_API line in a header")
        path, line = sites[c_name]
        candidates = [(title, start) for title, p, start in sections + families if p == path and start <= line]
        family = max(candidates, key=lambda c: c[1])[0]
        if family in NON_OP_SECTIONS:
            continue
        docs[c_name] = doc
        key, backward = op_key(c_name)
        op = groups[family].setdefault(key, {"forward": [], "backward": []})
        op["backward" if backward else "forward"].append(c_name)

    section_docs = {title: section_comment(path, start) for title, path, start in sections}
    by_function = csharp_names(docs, emitter)
    rows = OrderedDict()
    missing_torch = []
    for family, ops in groups.items():
        rows[family] = []
        for key, op in ops.items():
            forward_docs = [docs[f] for f in op["forward"]]
            dtypes = classify_dtypes(forward_docs)
            if dtypes == NOT_STATED:
                # The block comment that opens the group of declarations (softmax family,
                # normalisation layers...) states the dtypes of all of them at once.
                dtypes = classify_dtypes([group_comment(*sites[f]) for f in op["forward"]])
            if dtypes == NOT_STATED and family in section_docs:
                dtypes = classify_dtypes([section_docs[family]])
            torch_name = pytorch_name(key, forward_docs + [docs[f] for f in op["backward"]], torch)
            if torch_name == "none":
                missing_torch.append(key)
            csharp = sorted({m for f in op["forward"] + op["backward"] for m in by_function.get(f, ())})
            rows[family].append((key, op["forward"], op["backward"], torch_name, csharp, dtypes))
    return rows, torch is not None


def group_comment(path, line):
    """Text of the nearest plain block comment (/* ... */, not a /** doc comment) above line."""
    lines = open(path, encoding="utf-8").read().splitlines()
    end = None
    for i in range(line - 2, -1, -1):
        text = lines[i].strip()
        if end is None and text == "*/":
            end = i
        elif end is not None and text.startswith("/*"):
            if text.startswith("/* ----"):
                return ""
            if text.startswith("/**"):  # another declaration's doc comment: keep looking up
                end = None
                continue
            return " ".join(l.strip().lstrip("/*").strip() for l in lines[i:end])
    return ""


def section_comment(path, start):
    lines = open(path, encoding="utf-8").read().splitlines()
    out = []
    for line in lines[start:]:
        if line.startswith(" * ----") or line.startswith(" */"):
            break
        out.append(line.lstrip(" *"))
    return " ".join(out)


def code(names):
    return ", ".join(f"`{n}`" for n in names) if names else "-"


def render(rows):
    total = sum(len(r) for r in rows.values())
    with_backward = sum(1 for r in rows.values() for op in r if op[2])
    out = [
        "# Op catalogue",
        "",
        "<!-- generated by tools/gen_ops_catalogue.py from the headers and managed/Compute; do not edit -->",
        "",
        "Generated from the code: regenerate with `/usr/bin/python3 tools/gen_ops_catalogue.py`",
        "(`./build.sh test` fails while this file is stale: `--check`). The columns come from:",
        "",
        "- **C ABI**: the declarations in `native/include/compute/compute.h` and",
        "  `native/include/compute/ops/*.h` (parsed by `bindings/generate.py`); an op's variants",
        "  (in-place `_`, `_dtype`, `_scalar`, `_tensor`, `_dim`, `_rounding`, `_value`) share its row.",
        "- **PyTorch**: the name the header's doc comment gives, else the op's name as PyTorch",
        "  defines it (`torch`, `F` = `torch.nn.functional`, `Tensor`, `torch.linalg`, `torch.special`).",
        "- **C#**: members of `managed/Compute` that call the op's `NativeMethods` wrappers, or forward",
        "  to members of this one op only (e.g. `Functional.Relu`).",
        "- **dtypes**: classified from the dtype wording of the header's doc comments (the rules are",
        "  `DTYPE_RULES` in the script; a \"Dtypes: ...\" sentence is taken as written); \"floating\"",
        "  means float16, bfloat16, float32, float64, \"integer\" the five integer dtypes.",
        "  `tools/check_op_dtypes.py` (a `./build.sh test` stage) calls the ops with every dtype",
        "  through the built library and fails where the library accepts other dtypes than stated.",
        "  \"not stated in the header\" means the doc comments do not say.",
        "- **backward**: a `cmp_<op>_backward` kernel exists.",
        "",
        f"{total} ops, {with_backward} with a backward kernel.",
        "",
    ]
    for family, ops in rows.items():
        if not ops:
            continue
        out.append(f"## {family}")
        out.append("")
        out.append("| op | C ABI | PyTorch | C# | dtypes | backward |")
        out.append("|---|---|---|---|---|---|")
        for key, forward, backward, torch_name, csharp, dtypes in ops:
            torch_text = f"`{torch_name}`" if torch_name and torch_name != "none" else "-"
            back = code(backward) if backward else "no"
            out.append(f"| {key} | {code(forward)} | {torch_text} | {code(csharp)} | {dtypes} | {back} |")
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if docs/OPS.md differs from a fresh generation")
    args = parser.parse_args()
    try:
        rows, have_torch = build_catalogue()
    except (CatalogueError, bindings.GeneratorError) as e:
        print(f"tools/gen_ops_catalogue.py: {e}", file=sys.stderr)
        return 2
    if not have_torch:
        # The PyTorch column needs torch's namespaces; without them the output would differ.
        print("tools/gen_ops_catalogue.py: PyTorch is not importable (Debian: python3-torch); "
              + ("check skipped" if args.check else "cannot generate"), file=sys.stderr)
        return 0 if args.check else 2
    text = render(rows)
    rel = os.path.relpath(OUTPUT, ROOT)
    if args.check:
        committed = open(OUTPUT, encoding="utf-8").read() if os.path.exists(OUTPUT) else ""
        if committed == text:
            print(f"{rel} is up to date with the headers and managed/Compute")
            return 0
        diff = difflib.unified_diff(committed.splitlines(), text.splitlines(), rel + " (committed)",
                                    "fresh generation", lineterm="")
        print("\n".join(list(diff)[:60]), file=sys.stderr)
        print(f"error: {rel} is stale. Run /usr/bin/python3 tools/gen_ops_catalogue.py and commit it.",
              file=sys.stderr)
        return 1
    with open(OUTPUT, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    print(f"wrote {rel}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
