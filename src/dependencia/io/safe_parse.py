"""Parsing YAML and JSON text into plain data, safely: every problem an InputError that names the line.

The readers of model files (:mod:`.modelfile`), sweep and experiment specs
(:mod:`dependencia.batch.spec_values`) parse through here. YAML is read with
PyYAML's safe loader only (C-accelerated where libyaml is present); tags that
would construct Python objects, values that cannot be converted, a key twice
in one mapping, nesting deeper than the parser allows and aliases that
expand beyond :data:`MAX_YAML_VALUES` values (an alias bomb) or into
themselves are refused with the line or record path.

Examples
--------
>>> parse_yaml("a: [1, 2]", "spec.yaml")
{'a': [1, 2]}
>>> parse_yaml("a: 1\\na: 2", "spec.yaml")
Traceback (most recent call last):
...
dependencia.errors.InputError: spec.yaml, line 2: invalid YAML: the key 'a' appears twice in one mapping
>>> parse_json('{"a": 1}', "net.json")
{'a': 1}
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

from ..errors import InputError, shown

__all__ = ["MAX_YAML_VALUES", "parse_json", "parse_yaml"]

#: The most values a YAML document may hold once its aliases are expanded (an alias bomb holds billions).
MAX_YAML_VALUES = 10_000_000


class _SafeLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The safe loader (C-accelerated where libyaml is present: the same rules, ~10x faster).

    Scalars that cannot be converted (an integer of more than 4300 digits, a
    date such as 2024-13-45) raise a ConstructorError with their line instead
    of a bare ValueError, and so does a key written twice in one mapping
    (PyYAML would keep the last silently). Keys a merge (``<<: *base``)
    brings in may be overridden, as YAML intends.
    """

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        if isinstance(node, yaml.MappingNode):
            seen: set[tuple[str, str]] = set()
            for key_node, _ in node.value:
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                key = (key_node.tag, key_node.value)
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"the key {shown(key_node.value)} appears twice in one mapping",
                        key_node.start_mark,
                    )
                seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _guarded(construct: Any) -> Any:
    def guarded(loader: Any, node: Any) -> Any:
        try:
            return construct(loader, node)
        except (ValueError, OverflowError) as problem:
            reason = "a number of more than 4300 digits" if "4300" in str(problem) else str(problem)
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read the value {shown(node.value)}: {reason}", node.start_mark
            ) from None

    return guarded


for _tag in ("int", "float", "timestamp", "binary"):
    _name = f"tag:yaml.org,2002:{_tag}"
    _SafeLoader.add_constructor(_name, _guarded(yaml.constructor.SafeConstructor.yaml_constructors[_name]))


def parse_yaml(text: str, source: str) -> Any:
    """Parse YAML text with the safe loader into plain data; every problem is an InputError with the line.

    Besides syntax errors, it refuses tags that would construct Python
    objects, values it cannot convert, nesting deeper than libyaml allows,
    and aliases that expand to more than :data:`MAX_YAML_VALUES` values (an
    alias bomb) or into themselves (a cycle), naming the record path.
    """
    document = _load_yaml(text, source)
    if "*" in text:  # aliases only where a '*' is
        _check_aliases(document, source)
    return document


def _load_yaml(text: str, source: str) -> Any:
    try:
        return yaml.load(text, Loader=_SafeLoader)
    except yaml.constructor.ConstructorError as problem:
        mark = problem.problem_mark or problem.context_mark
        where = f"line {mark.line + 1}" if mark is not None else None
        detail = str(problem.problem or "").strip()
        tag = re.search(r"tag '([^']+)'", detail)
        if tag is not None:
            name = tag.group(1).replace("tag:yaml.org,2002:", "!!")
            message = (
                f"unsafe or unknown YAML tag {shown(name)}: dependencia reads plain data only "
                "(mappings, lists, text, numbers, booleans)"
            )
        else:
            message = f"invalid YAML: {detail}"
        raise InputError(message, source=source, where=where) from None
    except yaml.MarkedYAMLError as problem:
        mark = problem.problem_mark or problem.context_mark
        where = f"line {mark.line + 1}" if mark is not None else None
        detail = " ".join(str(p) for p in (problem.context, problem.problem) if p)
        raise InputError(f"invalid YAML: {detail}", source=source, where=where) from None
    except yaml.reader.ReaderError as problem:  # a character YAML does not allow (a control character)
        where = f"line {text.count(chr(10), 0, problem.position) + 1}" if problem.position < len(text) else None
        raise InputError(
            f"invalid YAML: the character U+{problem.character:04X} is not allowed in YAML" if isinstance(
                problem.character, int) else f"invalid YAML: {problem.reason}",
            source=source, where=where,
        ) from None
    except yaml.YAMLError as problem:
        raise InputError(f"invalid YAML: {problem}", source=source) from None
    except RecursionError:
        raise InputError("invalid YAML: lists or mappings nested too deeply", source=source) from None


def _check_aliases(document: Any, source: str) -> None:
    """Refuse a document whose aliases expand it beyond :data:`MAX_YAML_VALUES` values, or into a cycle.

    PyYAML builds an alias as a second reference to the same list or
    mapping, so loading costs nothing; but whatever walks the data later
    (writing it, comparing it, printing it) would meet every copy. The size
    of each list and mapping once expanded is counted once per object.
    """
    if not isinstance(document, (list, dict)):
        return
    sizes: dict[int, int] = {}
    visiting: set[int] = set()
    stack: list[tuple[Any, bool]] = [(document, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        children = list(node.values()) if isinstance(node, dict) else node
        if done:
            visiting.discard(key)
            total = 1 + sum(sizes.get(id(c), 1) for c in children)
            sizes[key] = min(total, MAX_YAML_VALUES + 1)
            continue
        if key in sizes:
            continue
        if key in visiting:
            raise InputError("invalid YAML: an alias refers to a list or mapping that contains it (a cycle)",
                             source=source)
        visiting.add(key)
        stack.append((node, True))
        stack.extend((c, False) for c in children if isinstance(c, (list, dict)))
    if sizes.get(id(document), 0) <= MAX_YAML_VALUES:
        return
    node, path = document, ""
    while True:  # down to the innermost list or mapping that is still too large: the bomb
        items = node.items() if isinstance(node, dict) else enumerate(node)
        inner = next(((k, c) for k, c in items
                      if isinstance(c, (list, dict)) and sizes.get(id(c), 0) > MAX_YAML_VALUES), None)
        if inner is None:
            break
        path += f"[{inner[0]}]" if isinstance(node, list) else (f".{inner[0]}" if path else str(inner[0]))
        node = inner[1]
    raise InputError(
        f"YAML aliases expand this value to more than {MAX_YAML_VALUES:,} values (an alias bomb?); "
        "write the data out instead of repeating aliases",
        source=source, where=path or None,
    )


def parse_json(text: str, source: str) -> Any:
    """Parse JSON text into plain data; every problem is an InputError with the line."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as problem:
        raise InputError(
            f"invalid JSON: {problem.msg} (column {problem.colno})", source=source, where=f"line {problem.lineno}"
        ) from None
    except RecursionError:
        raise InputError("invalid JSON: lists or objects nested too deeply", source=source) from None
    except ValueError as problem:  # an integer of more than 4300 digits
        digits = re.search(r"\d{4000,}", text)
        where = f"line {text.count(chr(10), 0, digits.start()) + 1}" if digits else None
        reason = "a number of more than 4300 digits" if "4300" in str(problem) else str(problem)
        raise InputError(f"invalid JSON: cannot read {reason}", source=source, where=where) from None
