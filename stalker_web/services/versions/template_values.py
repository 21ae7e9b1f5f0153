"""What templates written by users (filename and folder templates) can see.

They render from plain frozen values made for each render (``ProjectValue``, ``TaskValue``,
``VersionValue``, text and tuples), never from the database's objects, in a sandbox that also
refuses calls of mutating methods. ``FILENAME_VARIABLES`` and ``FOLDER_VARIABLES`` are the one
catalogue of what each kind of template may use: the forms list it, and ``template_problem``
checks a template against it when it is saved and before it is rendered.
"""

import re
from collections.abc import Sized
from dataclasses import dataclass, field, fields
from functools import wraps

from jinja2 import StrictUndefined, nodes
from jinja2.exceptions import SecurityError
from jinja2.meta import find_undeclared_variables
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Namespace

# Bounds on what one render may build, so a template cannot make the server spin or fill its
# memory: every text or list a template makes, the numbers ``range`` counts to, the powers it
# raises to, and how deep its loops nest (``_construct_problem``).
MAX_TEXT = 4096
MAX_RANGE = 1000
MAX_EXPONENT = 64
MAX_LOOP_DEPTH = 2
# A width or precision in "%05d"-style formatting.
_FORMAT_WIDTH = re.compile(r"%[-#0 +]*(\d*)(?:\.(\d*))?")
# The filters a template may use: what naming files needs, none that pads to a width it is given.
ALLOWED_FILTERS = (
    "abs", "capitalize", "count", "d", "default", "first", "format", "int", "join", "last",
    "length", "list", "lower", "map", "max", "min", "reject", "rejectattr", "replace", "reverse",
    "round", "select", "selectattr", "sort", "string", "title", "trim", "truncate", "unique",
    "upper",
)  # fmt: skip


def _sized(value) -> int:
    return len(value) if isinstance(value, Sized) and not isinstance(value, dict) else 0


def _bounded(value):
    """``value``, refused when it is a text or list longer than ``MAX_TEXT``."""
    if _sized(value) > MAX_TEXT:
        raise SecurityError(f"it builds something longer than {MAX_TEXT} characters")
    return value


def _bounded_range(*arguments: int) -> range:
    numbers = range(*arguments)
    try:
        size = len(numbers)
    except OverflowError:  # more than the machine can count
        size = MAX_RANGE + 1
    if size > MAX_RANGE:
        raise SecurityError(f"range counts more than {MAX_RANGE} numbers")
    return numbers


class _BoundedNamespace(Namespace):
    """Jinja2's ``namespace``, refusing to hold a text or list longer than ``MAX_TEXT``."""

    def __setitem__(self, name, value) -> None:
        super().__setitem__(name, _bounded(value))


class _BoundedSandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox with the operators that can build huge values checked first."""

    intercepted_binops = frozenset({"*", "**", "%", "+"})

    def call_binop(self, context, operator: str, left, right):
        if operator == "**" and (abs(_number(right)) > MAX_EXPONENT or abs(_number(left)) > 1e6):
            raise SecurityError("it raises a number to too large a power")
        if (
            operator == "*"
            and max(_sized(left), _sized(right)) * max(_count(left), _count(right)) > MAX_TEXT
        ):
            raise SecurityError(f"it builds something longer than {MAX_TEXT} characters")
        if operator == "%" and isinstance(left, str):
            _check_widths(left)
        return _bounded(super().call_binop(context, operator, left, right))


def _check_widths(text: str) -> None:
    """Refuse "%0999d"-style formatting, which pads to any width it is given."""
    for width, precision in _FORMAT_WIDTH.findall(text):
        if len(width) > 2 or len(precision) > 2:
            raise SecurityError("it formats a number wider than 99 characters")


def _number(value) -> float:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else 0


def _count(value) -> int:
    """How many times ``*`` repeats a text or list by ``value`` (0 when it is no count)."""
    return int(value) if isinstance(value, int) and not isinstance(value, bool) else 0


def _filter_bounded(function):
    """``function`` (a filter) refusing to give a text or list longer than ``MAX_TEXT``, and
    (``format``) to pad to a width it is given."""

    @wraps(function)
    def bounded(*arguments, **options):
        if function.__name__ == "do_format" and isinstance(arguments[0], str):
            _check_widths(arguments[0])
        return _bounded(function(*arguments, **options))

    return bounded


SANDBOX = _BoundedSandbox(undefined=StrictUndefined, autoescape=False)
SANDBOX.globals = {"range": _bounded_range, "namespace": _BoundedNamespace}
SANDBOX.filters = {name: _filter_bounded(SANDBOX.filters[name]) for name in ALLOWED_FILTERS}


def _offered(description: str, shape: type | None = None):
    """A field templates may read: ``description`` for the forms, ``shape`` when it holds
    another value of this module."""
    return field(metadata={"description": description, "shape": shape})


@dataclass(frozen=True)
class RepositoryValue:
    """The project's first repository, where new files go."""

    name: str = _offered("its name")
    code: str = _offered("its code, as in $REPO<code>")


@dataclass(frozen=True)
class ProjectValue:
    """The project as templates see it; it renders as its ``nice_name``."""

    id: int = _offered("its number in the database")
    name: str = _offered("its name")
    code: str = _offered("its code")
    nice_name: str = _offered("its name with letters, digits and _ only")
    type: str = _offered("the name of its type (empty when it has none)")
    repository: RepositoryValue = _offered("its first repository", RepositoryValue)

    def __str__(self) -> str:
        return self.nice_name


@dataclass(frozen=True)
class TaskValue:
    """A task (asset, sequence, scene, shot, variant ...) as templates see it; it renders as
    its ``nice_name``."""

    id: int = _offered("its number in the database")
    name: str = _offered("its name")
    code: str = _offered("its code (empty for tasks without one)")
    nice_name: str = _offered("its name with letters, digits and _ only")
    entity_type: str = _offered("its kind: Task, Asset, Sequence, Scene, Shot or Variant")
    type: str = _offered("the name of its type (empty when it has none)")

    def __str__(self) -> str:
        return self.nice_name


@dataclass(frozen=True)
class VersionValue:
    """The version a file is stored for; it renders as its ``nice_name``."""

    id: int = _offered("its number in the database")
    version_number: int = _offered("its number in its stream: 1, 2, 3 ...")
    revision_number: int = _offered("its revision: 1, 2 ...")
    nice_name: str = _offered(
        "the nice names of the tasks from the nearest asset, shot or sequence down, joined by _"
    )
    created_with: str = _offered("the application it was made with (may be empty)")

    def __str__(self) -> str:
        return self.nice_name


def offered_attributes(shape: type) -> tuple[str, ...]:
    """The names templates may read on a value of ``shape``."""
    return tuple(item.name for item in fields(shape))


@dataclass(frozen=True)
class TemplateVariable:
    """One variable of the catalogue: what it is, and an example with what it gives."""

    name: str
    description: str
    example: str
    result: str
    shape: type | None = None  # the value's class; None for plain text
    many: bool = False  # a list (tuple) of ``shape``

    def attributes(self) -> tuple[str, ...]:
        """What templates may read on it (on each item of a list)."""
        return offered_attributes(self.shape) if self.shape else ()

    def described_attributes(self) -> tuple[tuple[str, str], ...]:
        """(name, description) of each attribute, for the forms."""
        if self.shape is None:
            return ()
        return tuple((item.name, item.metadata["description"]) for item in fields(self.shape))


_NEAREST = "The nearest {0} above the task (or the task itself); only for tasks inside {1} {0}."

FILENAME_VARIABLES: tuple[TemplateVariable, ...] = (
    TemplateVariable(
        "project",
        "The project. Start paths with $REPO{{ project.repository.code }}/ so they work on "
        "every system.",
        "$REPO{{ project.repository.code }}/{{ project.code }}",
        "$REPOFS/BF",
        ProjectValue,
    ),
    TemplateVariable(
        "task", "The task the version belongs to.", "{{ task.nice_name }}", "Final_comp", TaskValue
    ),
    TemplateVariable(
        "parent_tasks",
        "The tasks from the top of the project down to the task itself, in order.",
        "{% for parent in parent_tasks %}{{ parent.nice_name }}/{% endfor %}",
        "SQ01/SC01/SH010/Final_comp/",
        TaskValue,
        many=True,
    ),
    TemplateVariable(
        "version",
        "The version the file is stored for.",
        "{{ version.nice_name }}_v{{ '%03d' % version.version_number }}",
        "SH010_Final_comp_v003",
        VersionValue,
    ),
    TemplateVariable(
        "asset", _NEAREST.format("asset", "an"), "{{ asset.code }}", "HERO", TaskValue
    ),
    TemplateVariable(
        "sequence", _NEAREST.format("sequence", "a"), "{{ sequence.code }}", "SQ01", TaskValue
    ),
    TemplateVariable("scene", _NEAREST.format("scene", "a"), "{{ scene.code }}", "SC01", TaskValue),
    TemplateVariable("shot", _NEAREST.format("shot", "a"), "{{ shot.code }}", "SH010", TaskValue),
    TemplateVariable(
        "type",
        "The name of the task's type (empty when it has none).",
        "{{ type }}",
        "Compositing",
    ),
    TemplateVariable(
        "extension",
        "The file's extension with its dot; it is added after the file name anyway unless "
        "the file name already ends with it.",
        "{{ extension }}",
        ".exr",
    ),
)

FILENAME_EXAMPLES_FOR = (
    "version 3 of the Compositing task Final comp, in shot SH010 of scene SC01 and sequence "
    "SQ01, in project Big Film (code BF) whose repository is FS; the asset example is for a "
    "task of asset HERO"
)

FOLDER_VARIABLES: tuple[TemplateVariable, ...] = (
    TemplateVariable(
        "project",
        "The project; each line the template gives is a folder to make under its repository.",
        "{{ project.code }}/Assets",
        "BF/Assets",
        ProjectValue,
    ),
)

FOLDER_EXAMPLES_FOR = "project Big Film (code BF)"


def render_template(source: str, values: dict) -> str:
    """``source`` rendered from ``values`` in the sandbox, refused (``SecurityError``) once it
    gives more than ``MAX_TEXT`` characters (jinja2 errors are the caller's)."""
    parts, length = [], 0
    for part in SANDBOX.from_string(source).generate(values):
        length += len(part)
        if length > MAX_TEXT:
            raise SecurityError(f"it gives more than {MAX_TEXT} characters")
        parts.append(part)
    return "".join(parts)


class _Refused(Exception):
    """A name or attribute the catalogue does not offer, with what may be used instead."""

    def __init__(self, used: str, choices: list[str], hint: str = "") -> None:
        super().__init__(used)
        self.used, self.choices, self.hint = used, choices, hint


_ATTRIBUTE_FILTERS = ("selectattr", "rejectattr")
_DECLARING = (nodes.For, nodes.Assign, nodes.AssignBlock, nodes.With, nodes.Macro, nodes.CallBlock)


class _Checker:
    """Walks a parsed template, following what each name holds, and raises ``_Refused`` at
    the first attribute the catalogue does not offer.

    What an expression holds, as far as the source tells: ("value", shape), ("many", shape),
    ("plain", str or int), or None when it cannot be told (a loop counter, a macro argument
    ...), which is not checked: the sandbox and the plain values still hold there.
    """

    def __init__(self, variables: tuple[TemplateVariable, ...]) -> None:
        self.kinds: dict[str, tuple | None] = {}
        for variable in variables:
            if variable.shape is None:
                self.kinds[variable.name] = ("plain", str)
            else:
                self.kinds[variable.name] = ("many" if variable.many else "value", variable.shape)

    def check(self, tree: nodes.Template) -> None:
        for node in tree.find_all(_DECLARING):
            self._declare(node)
        for node in tree.find_all((nodes.Getattr, nodes.Getitem, nodes.Filter)):
            self._kind(node)

    def _declare(self, node: nodes.Node) -> None:
        """Record what the names a loop, ``set``, ``with`` or macro introduces hold."""
        pairs: list[tuple[nodes.Node, tuple | None]] = []
        if isinstance(node, nodes.For):
            iterated = self._kind(node.iter)
            item = ("value", iterated[1]) if iterated and iterated[0] == "many" else None
            pairs = [(node.target, item), (nodes.Name("loop", "store"), None)]
        elif isinstance(node, nodes.Assign):
            pairs = [(node.target, self._kind(node.node))]
        elif isinstance(node, nodes.With):
            pairs = [(t, self._kind(v)) for t, v in zip(node.targets, node.values, strict=False)]
        elif isinstance(node, nodes.AssignBlock):
            pairs = [(node.target, None)]
        else:  # a macro's or call block's arguments
            pairs = [(argument, None) for argument in node.args]
        for target, kind in pairs:
            if not isinstance(target, nodes.Name):  # unpacking: a, b = ...
                names, kind = list(target.find_all(nodes.Name)), None
            else:
                names = [target]
            for name in names:
                known = name.name in self.kinds and self.kinds[name.name] != kind
                self.kinds[name.name] = None if known else kind  # reused for another thing

    def _kind(self, node: nodes.Node) -> tuple | None:
        if isinstance(node, nodes.Name):
            return self.kinds.get(node.name)
        if isinstance(node, nodes.Getattr):
            return self._member(node.node, node.attr, f"{_label(node.node)}.{node.attr}")
        if isinstance(node, nodes.Getitem):
            return self._item(node)
        if isinstance(node, nodes.Filter):
            return self._filtered(node)
        if isinstance(node, nodes.Const) and isinstance(node.value, str | int):
            return ("plain", type(node.value))
        return None

    def _member(self, base: nodes.Node, attribute: str, used: str) -> tuple | None:
        kind = self._kind(base)
        label = _label(base)
        what, shape = kind or (None, None)
        choices = (
            [f"{label}.{name}" for name in offered_attributes(shape)] if what == "value" else []
        )
        if attribute.startswith("_"):
            raise _Refused(used, choices)
        if what is None:
            return None
        if what == "value":
            if attribute not in offered_attributes(shape):
                raise _Refused(used, choices)
            offered = next(item for item in fields(shape) if item.name == attribute)
            nested = offered.metadata.get("shape")
            return ("value", nested) if nested else ("plain", offered.type)
        if what == "many":
            raise _Refused(
                used,
                [],
                f"{label} is a list: take one item, e.g. {label}[-1].nice_name, or loop over it",
            )
        if attribute not in _public_attributes(shape):
            noun = "text" if shape is str else "a number"
            raise _Refused(used, [], f"{label} is {noun}: use {{{{ {label} }}}}")
        return None  # a method of str or int: the sandbox calls it on an immutable value

    def _item(self, node: nodes.Getitem) -> tuple | None:
        kind = self._kind(node.node)
        key = node.arg.value if isinstance(node.arg, nodes.Const) else None
        if isinstance(key, str):
            return self._member(node.node, key, _label(node))
        if kind is None:
            return None
        what, shape = kind
        if what == "many":
            return kind if isinstance(node.arg, nodes.Slice) else ("value", shape)
        if what == "plain" and shape is str:
            return kind
        return None

    def _filtered(self, node: nodes.Filter) -> tuple | None:
        kind = self._kind(node.node) if node.node is not None else None
        if kind is None or kind[0] != "many":
            return kind if node.name in ("default", "d") else None
        names = [keyword.value for keyword in node.kwargs if keyword.key == "attribute"]
        if node.name in _ATTRIBUTE_FILTERS and node.args:
            names.append(node.args[0])
        item = nodes.Getitem(node.node, nodes.Name("item", "load"), "load")  # any one item
        for name in names:
            if isinstance(name, nodes.Const) and isinstance(name.value, str):
                step = name.value.split(".")[0]
                self._member(item, step, f"{_label(item)}.{step}")
        if node.name in ("first", "last", "random"):
            return ("value", kind[1])
        return kind if node.name in ("sort", "unique", "reverse", "list") else None


def _public_attributes(kind: type) -> set[str]:
    return {name for name in dir(kind) if not name.startswith("_")}


def _label(node: nodes.Node) -> str:
    """How a refusal names an expression: ``version.task``, ``parent_tasks[0]``."""
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_label(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem):
        value = node.arg.value if isinstance(node.arg, nodes.Const) else None
        key = repr(value) if isinstance(value, str | int) else "…"
        return f"{_label(node.node)}[{key}]"
    if isinstance(node, nodes.Filter):
        return f"({_label(node.node)}|{node.name})"
    if isinstance(node, nodes.Const) and isinstance(node.value, str | int):
        return repr(node.value)
    return "(…)"


_NO_CONSTRUCTS = {
    nodes.Macro: "{% macro %}",
    nodes.CallBlock: "{% call %}",
    nodes.Include: "{% include %}",
    nodes.Import: "{% import %}",
    nodes.FromImport: "{% from ... import %}",
    nodes.Extends: "{% extends %}",
}


def _loop_depth(node: nodes.Node) -> int:
    """How deep the loops under ``node`` nest."""
    inner = max((_loop_depth(child) for child in node.iter_child_nodes()), default=0)
    return inner + 1 if isinstance(node, nodes.For) else inner


def _construct_problem(tree: nodes.Template) -> str | None:
    """What ``tree`` does that templates here may not: macros, includes, recursive loops,
    loops nested too deep, filters and tests outside the sandbox's."""
    for node in tree.find_all(tuple(_NO_CONSTRUCTS)):
        used = _NO_CONSTRUCTS[type(node)]
        return f"uses {used} (line {node.lineno}), which a template here cannot use"
    for node in tree.find_all(nodes.For):
        if node.recursive:
            return f"uses a recursive loop (line {node.lineno}), which a template here cannot use"
    if _loop_depth(tree) > MAX_LOOP_DEPTH:
        return f"nests loops more than {MAX_LOOP_DEPTH} deep; a template here can nest two at most"
    for node in tree.find_all(nodes.Filter):
        if node.name not in SANDBOX.filters:
            return (
                f"uses the filter {node.name} (line {node.lineno}), which a template here cannot "
                f"use; use one of {', '.join(sorted(SANDBOX.filters))}"
            )
    for node in tree.find_all(nodes.Test):
        if node.name not in SANDBOX.tests:
            return f"uses the test {node.name} (line {node.lineno}), which does not exist"
    return None


def template_problem(source: str, variables: tuple[TemplateVariable, ...]) -> str | None:
    """What ``source`` uses that ``variables`` do not offer, as "uses version.created_by, which
    is not a template variable; use one of version.id, ...", or what it does that no template
    here may (``_construct_problem``), or None when all is allowed. ``source`` must parse (the
    models check that first)."""
    tree = SANDBOX.parse(source)
    construct = _construct_problem(tree)
    if construct is not None:
        return construct
    names = [variable.name for variable in variables]
    unknown = find_undeclared_variables(tree) - set(names)
    try:
        for node in tree.find_all(nodes.Name):
            if node.name in unknown:
                raise _Refused(node.name, names)
        _Checker(variables).check(tree)
    except _Refused as refused:
        advice = refused.hint or (
            f"use one of {', '.join(refused.choices)}" if refused.choices else ""
        )
        problem = f"uses {refused.used}, which is not a template variable"
        return f"{problem}; {advice}" if advice else problem
    return None
