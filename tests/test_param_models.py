"""Every type's ``params_model`` fits what it samples and refuses what it should not.

Pinned values from a spec meet the model before anything is solved.  The
wrong values here are built from each type's own sampled parameters, so a new
type is covered without a line of this file changing: for every key, a value
of another JSON kind (a bool where a size is expected, text, a list where a
number is, a number where a list is, nothing), a list element or mapping
value of the wrong kind, and a list one item too long where the model fixes
its length.  Each must be refused by the spec loader with one line that names
the file, the item and the key.  Lists of a length the model leaves free are
then pinned together with every other parameter: that may be refused, but
never end in anything but a one-line error.
"""

from __future__ import annotations

import json

import pytest

from qbank.errors import QbankError
from qbank.registry import all_types, get_type
from qbank.render.documents import render_fragments
from qbank.spec import parse_spec

TYPE_IDS = list(all_types())
SAMPLED_SEEDS = range(200)


def _kind(value) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    return {str: "text", list: "list", dict: "mapping", type(None): "null"}[type(value)]


# One value of each JSON kind; a key is given every kind it never takes.
OTHER_KINDS = {"bool": True, "number": 3, "text": "three", "list": [3], "mapping": {"a": 3},
               "null": None}


def _kinds_seen(qtype, key) -> set[str]:
    return {_kind(qtype.draw(seed).params[key]) for seed in range(30)}


def _first_leaf(value, path=()):
    """Path to the first scalar inside a list or mapping (None if there is none)."""
    items = enumerate(value) if isinstance(value, list) else \
        (sorted(value.items()) if isinstance(value, dict) else None)
    if items is None:
        return path
    for index, item in items:
        return _first_leaf(item, path + (index,))
    return None


def _replaced(value, path, new):
    copy = json.loads(json.dumps(value))
    target = copy
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = new
    return copy


def _path_text(key, path) -> str:
    text = key
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else f".{step}"
    return text


def _wrong_values(qtype):
    """(key path as printed, pinned dict) for every deliberately wrong value."""
    params = qtype.draw(0).params
    for key, value in params.items():
        seen = _kinds_seen(qtype, key)
        for kind, wrong in OTHER_KINDS.items():
            if kind not in seen:
                yield key, {key: wrong}
        path = _first_leaf(value) if isinstance(value, (list, dict)) else None
        if path:
            bad = 3 if isinstance(_leaf_at(value, path), str) else "three"
            yield _path_text(key, path), {key: _replaced(value, path, bad)}
        if isinstance(value, list) and value and _fixed_length(qtype, key):
            yield key, {key: value + value[-1:]}


def _leaf_at(value, path):
    for step in path:
        value = value[step]
    return value


def _fixed_length(qtype, key) -> bool:
    schema = qtype.params_model.model_json_schema()["properties"][key]
    return "maxItems" in schema and schema.get("minItems") == schema["maxItems"]


def _spec(type_id: str, pinned: dict) -> dict:
    return {"title": "Pinned", "items": [{"type": type_id, "points": 8, "params": pinned}]}


@pytest.mark.parametrize("type_id", TYPE_IDS)
def test_every_type_declares_a_model_its_samples_fit(type_id):
    qtype = get_type(type_id)
    assert qtype.params_model is not None, f"{type_id} declares no params_model"
    for seed in SAMPLED_SEEDS:
        qtype.check_params(qtype.draw(seed).params)


@pytest.mark.parametrize("type_id", TYPE_IDS)
def test_every_field_of_the_model_is_typed(type_id):
    """A field of type Any would let every wrong value through."""
    schema = get_type(type_id).params_model.model_json_schema()

    def typed(node):
        if "$ref" in node:
            return True
        if "anyOf" in node:
            return all(typed(option) for option in node["anyOf"])
        if "items" in node and not typed(node["items"]):
            return False
        if "additionalProperties" in node and isinstance(node["additionalProperties"], dict) \
                and not typed(node["additionalProperties"]):
            return False
        return "type" in node or "enum" in node or "const" in node

    untyped = [key for key, node in schema["properties"].items() if not typed(node)]
    assert not untyped, f"untyped parameters: {untyped}"


@pytest.mark.parametrize("type_id", TYPE_IDS)
def test_wrong_kinds_and_shapes_are_refused_naming_file_item_and_key(type_id):
    qtype = get_type(type_id)
    cases = list(_wrong_values(qtype))
    assert cases
    for shown_key, pinned in cases:
        with pytest.raises(QbankError) as caught:
            parse_spec(_spec(type_id, pinned), "exam.yaml")
        message = str(caught.value)
        assert "\n" not in message
        assert message.startswith(f"exam.yaml: items[0].params.{shown_key}"), \
            f"{pinned}: {message}"
        assert type_id in message


@pytest.mark.parametrize("type_id", TYPE_IDS)
def test_lists_of_another_length_are_refused_or_make_a_whole_question(type_id):
    qtype = get_type(type_id)
    for seed in range(5):
        params = qtype.draw(seed).params
        for key, value in params.items():
            if not isinstance(value, list) or not value:
                continue
            for changed in (value + value[-1:], value[:-1]):
                pinned = dict(params, **{key: changed})
                try:
                    variant = qtype.draw(seed, pinned)
                except QbankError as error:
                    assert "\n" not in str(error)
                    continue
                qtype.check_params(variant.params)
                assert qtype.problems(variant.params) == []
                render_fragments(variant)


def test_a_pinned_bool_for_a_size_is_refused_through_the_spec():
    """The case that printed 'True-class classification' (issue 10)."""
    with pytest.raises(QbankError) as caught:
        parse_spec(_spec("params.mlp", {"n_classes": True}), "banks/mine.yaml")
    assert str(caught.value) == ("banks/mine.yaml: items[0].params.n_classes: expected a "
                                 "whole number, got true (params.mlp)")
