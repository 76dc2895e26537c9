"""The question-type contract and the frozen variant it produces.

A question type is a small class: metadata as data, ``sample`` draws parameters
from the RNG it is handed, ``solve`` turns parameters into the public answer, and
``worked`` (optional) adds the intermediate values a worked solution shows.
Keeping drawing and solving apart means any parameter set -- sampled, pinned by
an exam spec, or typed in by an outside checker -- is solved by the same code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import ClassVar

from qbank.errors import PinnedParamError, QbankError
from qbank.param_models import ParamError, ParamModel, validate_params
from qbank.parts import Part
from qbank.rng import rng_for

KINDS = ("numeric", "symbolic", "conceptual")

# How many draws a type gets to find a well-posed parameter set before we give
# up; a type that needs more than a handful is drawing from the wrong space.
MAX_DRAWS = 1000
# A sample() that redraws until its numbers are well posed does so at most this
# often: far beyond what any type needs (the slowest, cnn.convolve, takes some
# tens of thousands at worst), but a bound, so a bug cannot hang a build.
MAX_REDRAWS = 1_000_000


def redraws(type_id: str, limit: int = MAX_REDRAWS):
    """``for _ in redraws(self.id):`` instead of ``while True:`` in ``sample()``."""
    yield from range(limit)
    raise QbankError(f"{type_id}: found no well-posed draw in {limit:,} tries; "
                     "this is a bug in the type's sample()")


def _top_key(path: str) -> str:
    """``hidden[1]`` -> ``hidden``, ``first.this`` -> ``first``."""
    return path.split(".")[0].split("[")[0]


@dataclass(frozen=True)
class Variant:
    """One drawn instance of a question type: everything needed to typeset it."""

    type_id: str
    seed: int
    params: dict
    answer: dict
    work: dict = field(default_factory=dict, compare=False)

    def to_json(self) -> dict:
        """The public contract: type, seed, params, answer (no worked values)."""
        return {"type": self.type_id, "seed": self.seed,
                "params": self.params, "answer": self.answer}

    def dumps(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False)


class QuestionType:
    """Base class of every question type; subclasses are found automatically.

    Subclasses set the metadata class attributes and implement ``sample`` and
    ``solve``.  Templates live beside the module as
    ``<module>.question.tex.j2`` and ``<module>.solution.tex.j2`` unless
    ``template_stem`` says otherwise.
    """

    id: ClassVar[str] = ""
    title: ClassVar[str] = ""
    topic: ClassVar[str] = ""
    kind: ClassVar[str] = "numeric"
    source: ClassVar[str] = ""
    # Fewest distinct parameter sets expected over 200 seeds; a type with a
    # naturally small space lowers it and says why in its docstring.
    variety: ClassVar[int] = 150
    # Room left for the answer on the question paper; an exam item may override it.
    answer_space: ClassVar[str] = "6cm"
    # Set by the registry from the module's location, e.g. "params/mlp".
    template_stem: ClassVar[str] = ""
    # Multiple choice (an exam item's ``format: choice``): the label of the part
    # whose value the options offer, made from that part's modelled mistakes.
    # Empty: the type is not asked as multiple choice.
    choice_part: ClassVar[str] = ""
    # The strict model of what ``sample`` returns (qbank.param_models); pinned
    # values are validated against it, and the contract test checks every
    # sampled parameter set fits it.
    params_model: ClassVar[type[ParamModel] | None] = None

    # --- to implement -----------------------------------------------------
    def sample(self, rng) -> dict:
        """Draw JSON-safe parameters (ints, floats, bools, strings, lists, dicts)."""
        raise NotImplementedError

    def solve(self, params: dict) -> dict:
        """Pure function of the parameters: the public answer."""
        raise NotImplementedError

    # --- optional -----------------------------------------------------------
    def problems(self, params: dict) -> list[str]:
        """Reasons the parameters are not well posed (empty when they are).

        ``sample`` should already draw well-posed values; this check also
        guards parameters pinned in an exam spec, and the contract test runs it
        on every sampled variant.
        """
        return []

    def worked(self, params: dict, answer: dict) -> dict:
        """Intermediate values for the worked solution (not part of the JSON)."""
        return {}

    def parts(self, variant: Variant) -> list[Part]:
        """Every quantity the question asks for, labelled a, b, c ... (``qbank.parts``).

        The one hook the paper, the answer key, the checker and the practice
        tools read: a part's prompt is printed after the question's stem, its
        answer is boxed in the solution and checked within its tolerance, and
        its weight shares out the item's marks.
        """
        raise NotImplementedError

    # --- provided -----------------------------------------------------------
    def draw(self, seed: int, pinned: dict | None = None) -> Variant:
        """The variant for ``seed``: sample, apply pinned values, redraw until well posed."""
        rng = rng_for(self.id, seed)
        if not pinned:
            params = self.sample(rng)
            problems = self.problems(params)
            if problems:
                # sample() should never produce a bad draw by itself; say so loudly.
                raise AssertionError(f"{self.id} sampled ill-posed params at seed {seed}: "
                                     f"{problems}")
            return self.variant(seed, params)
        problems: list[str] = []
        for _ in range(MAX_DRAWS):
            params = self.sample(rng)
            unknown = sorted(set(pinned) - set(params))
            if unknown:
                raise QbankError(f"{self.id}: cannot pin unknown parameter(s) "
                                 f"{', '.join(unknown)}; known: {', '.join(params)}")
            params.update(pinned)
            everything_pinned = set(pinned) >= set(params)
            try:
                self.check_params(params)
            except PinnedParamError as error:
                # A value of the wrong kind, or one the error blames, is wrong
                # whatever else is drawn; a sampled value that disagrees with a
                # pinned one (a k of 4 columns beside a pinned q of 3) may fit
                # another draw.
                if everything_pinned or not error.cross_key or _top_key(error.key) in pinned:
                    raise
                problems = [f"{error.key}: {error.message}"]
                continue
            variant, problems = self._try_pinned(seed, params)
            if variant is not None:
                return variant
            if everything_pinned:
                break  # nothing left to draw again
        raise QbankError(f"{self.id}: pinned parameters {json.dumps(pinned)} give no "
                         f"well-posed question ({problems[0]})")

    def check_params(self, params: dict) -> None:
        """Refuse a parameter set of the wrong types or shapes, naming the key."""
        if self.params_model is None:
            raise QbankError(f"{self.id}: declares no params_model, so pinned values "
                             "cannot be checked")
        try:
            validate_params(self.params_model, params)
        except ParamError as error:
            raise PinnedParamError(self.id, error.key, error.message, error.cross_key) from None

    def _try_pinned(self, seed: int, params: dict) -> tuple[Variant | None, list[str]]:
        """Solve a parameter set that holds user-pinned values, which may be of any type."""
        try:
            problems = self.problems(params)
            return (None, problems) if problems else (self.variant(seed, params), [])
        except (TypeError, ValueError, KeyError, IndexError, ArithmeticError) as error:
            return None, [f"cannot use these values ({type(error).__name__}: {error})"]

    def variant(self, seed: int, params: dict) -> Variant:
        """Solve given parameters into a variant (used for pinned and typed-in params)."""
        answer = self.solve(params)
        return Variant(self.id, seed, params, answer, self.worked(params, answer))

    def space_for(self, variant: Variant) -> str:
        """Room for the answer on the question paper (a type may vary it by variant)."""
        return self.answer_space

    def template_name(self, part: str) -> str:
        """Jinja name of the ``question`` or ``solution`` template of this type."""
        return f"{self.template_stem}.{part}.tex.j2"

    @classmethod
    def metadata(cls) -> dict:
        return {"id": cls.id, "title": cls.title, "topic": cls.topic,
                "kind": cls.kind, "source": cls.source}

