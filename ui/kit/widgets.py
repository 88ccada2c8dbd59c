"""Where a declared `Param` becomes a widget — the only place. Every widget has an app-wide
unique key `<loss>.<name>`, which is also its name in the link; its state is seeded from the link
or the default, and its value goes back to the link as text (ui/kit/link.py)."""

from __future__ import annotations

import math
from dataclasses import replace
from functools import singledispatch
from typing import Any

import streamlit as st

from core.params import Bool, Choice, Float, Int, LossValueError, Param, Text, Vector
from ui.kit import link
from ui.kit.i18n import allowed_text, in_any_language, t, translated_choice
from ui.kit.safe import quoted

LOG_STEPS = (1e-12, 1e-10, 1e-8, 1e-6, 1e-4, 1e-3, 1e-2, 0.1)
# Streamlit draws a radio whose state is None with no option selected, so a None choice (torch's
# default options=None, device=None, distance_function=None, ...) is held in session state as this
# text; `value_of` gives the value back.
NONE_STATE = "\x00None"


def state_of(value: Any) -> Any:
    """A param's value as its widget's session state holds it."""
    return NONE_STATE if value is None else value


def value_of(state: Any) -> Any:
    """A widget's session state as the param's value (the inverse of `state_of`)."""
    return None if isinstance(state, str) and state == NONE_STATE else state


def key_of(prefix: str, name: str) -> str:
    return f"{prefix}.{name}"


def widget_keys(prefix: str, p: Param) -> dict[str, object]:
    """Each widget key of a param and its default state (a vector has a switch and one per entry)."""
    return {key_of(prefix, p.name) + suffix: part.default for suffix, part in p.parts().items()}


# A link's text as a value of the param's type, not yet validated (raises ValueError, KeyError or
# StopIteration when it is none): one reading per kind of param.
@singledispatch
def _read(p: Param, raw: str, titles: dict) -> Any:
    raise TypeError(f"no link reading for {type(p).__name__}")


@_read.register
def _(p: Float, raw: str, titles: dict) -> float:
    value = float(raw)
    if p.log_scale:
        return min(LOG_STEPS + (p.default,), key=lambda s: abs(math.log10(s) - math.log10(max(value, 1e-300))))
    return value


@_read.register
def _(p: Int, raw: str, titles: dict) -> int:
    return int(raw)


@_read.register
def _(p: Bool, raw: str, titles: dict) -> bool:
    return {"true": True, "false": False}[raw.lower()]


@_read.register
def _(p: Choice, raw: str, titles: dict) -> Any:
    return next(
        c for c in p.choices if raw in (str(c), p.text(c)) or raw in in_any_language(titles.get(c, _shown(p, c)))
    )


@_read.register
def _(p: Text, raw: str, titles: dict) -> str:
    return raw


def _parse(p: Param, raw: str, titles: dict | None = None):
    """A URL value as the param's Python value, or raise LossValueError. A choice may come as its
    value or as the text its widget shows, in either language (`titles`: value -> English text)."""
    try:
        value = _read(p, raw, titles or {})
    except (ValueError, KeyError, StopIteration):
        raise p.error(raw) from None
    return p.validate(value)


def seed(prefix: str, params: tuple[Param, ...], titles: dict | None = None) -> list[str]:
    """Put every widget's state in place before it is drawn: a valid URL value, else the default.
    Returns a notice for each URL value that was not allowed. (`titles`: param name -> the English
    text of each of its choices, as given to `param_input`.)"""
    notices = []
    for p in params:
        for key, default in widget_keys(prefix, p).items():
            link.owned(key)
            if key in st.session_state:
                continue
            given = st.query_params.get_all(key)
            value = default
            if len(given) > 1:
                notices.append(
                    t(
                        "The link gives {name} {count} times ({values}); only the last one is read.",
                        name=key,
                        count=len(given),
                        values=", ".join(quoted(v) for v in given),
                    )
                )
            if given:
                raw = given[-1]
                part = p.parts()[key.removeprefix(key_of(prefix, p.name))]
                try:
                    value = _parse(part, raw, (titles or {}).get(p.name))
                except LossValueError as error:
                    notices.append(
                        t(
                            "The link's value {value} for {name} is not allowed ({allowed}); the default is used.",
                            value=quoted(raw),
                            name=key,
                            allowed=allowed_text(error),
                        )
                    )
            st.session_state[key] = state_of(value)
    return notices


def label_of(p: Param) -> str:
    return f"{p.name} ({p.unit})" if p.unit else p.name


def _shown(p: Choice, value) -> str:
    """A choice's text in English (only None reads as words: the others are torch's own values)."""
    return "None (default)" if value is None else p.text(value)


def param_input(
    prefix: str,
    p: Param,
    disabled: bool = False,
    titles: dict | None = None,
    label: str | None = None,
    on_change=None,
):
    """Draw the widget(s) of one param and return its value (`titles`: each choice's text in
    English, shown translated; `label`: instead of the param's name; `on_change`: a callback run
    before the page when the user changes the value)."""
    key, help_text = key_of(prefix, p.name), t(p.help)
    if label is not None:
        p = replace(p, name=label)
    common = dict(key=key, help=help_text, disabled=disabled, on_change=on_change)
    for suffix, part in p.parts().items():
        text = link.carried(key + suffix)
        if text is not None:
            try:
                st.session_state[key + suffix] = state_of(_parse(part, text, titles))
            except LossValueError:  # the link's own value, published by this page: kept as it is
                pass
    value = _widget(p, label_of(p), common, titles or {})
    for suffix, part in p.parts().items():
        if key + suffix in st.session_state:  # a vector that is switched off draws no entries
            link.keep(key + suffix, link_text(part, st.session_state[key + suffix]), link_text(part, part.default))
    return value


# A value as the link writes it (the inverse of `_read`): one per kind of param.
@singledispatch
def link_text(p: Param, value: Any) -> str:
    raise TypeError(f"no link text for {type(p).__name__}")


@link_text.register
def _(p: Float, value: Any) -> str:
    return f"{float(value):.12g}"


@link_text.register
def _(p: Int, value: Any) -> str:
    return str(int(value))


@link_text.register
def _(p: Bool, value: Any) -> str:
    return "true" if value else "false"


@link_text.register
def _(p: Choice, value: Any) -> str:
    return p.text(value_of(value))


@link_text.register
def _(p: Text, value: Any) -> str:
    return str(value)


# The widget of each kind of param: drawn with `common` (key, help, disabled, on_change), returning
# the param's value.
@singledispatch
def _widget(p: Param, label: str, common: dict, titles: dict) -> Any:
    raise TypeError(f"no widget for {type(p).__name__}")


@_widget.register
def _(p: Float, label: str, common: dict, titles: dict) -> float:
    if p.log_scale:
        options = sorted(set(LOG_STEPS + (p.default,)))
        return st.select_slider(label, options=options, format_func=lambda v: f"{v:g}", **common)
    step = float(p.step or (p.high - p.low) / 100)
    return st.slider(label, min_value=float(p.low), max_value=float(p.high), step=step, **common)


@_widget.register
def _(p: Int, label: str, common: dict, titles: dict) -> int:
    if p.high - p.low > 100:  # a seed: typed, not slid
        return st.number_input(label, min_value=int(p.low), max_value=int(p.high), step=1, **common)
    return st.slider(label, min_value=int(p.low), max_value=int(p.high), step=int(p.step or 1), **common)


@_widget.register
def _(p: Bool, label: str, common: dict, titles: dict) -> bool:
    return st.toggle(label, **common)


@_widget.register
def _(p: Choice, label: str, common: dict, titles: dict) -> Any:
    # the link holds the choice's own text (?cmp.group=classification), whatever the language shown
    translated_choice(common["key"])
    if len(p.choices) == 1:  # a value the view fixes (LinearCrossEntropyLoss's in_features): shown, not chosen
        common["disabled"] = True
    options = [state_of(c) for c in p.choices]
    picked = st.radio(
        label,
        options,
        format_func=lambda c: t(titles.get(value_of(c), _shown(p, value_of(c)))),
        horizontal=True,
        **common,
    )
    return value_of(picked)


@_widget.register
def _(p: Text, label: str, common: dict, titles: dict) -> str:
    # the field takes no more than the param allows (a pasted 100 KB text stays out of the link)
    return st.text_input(label, max_chars=p.length, **common)


@_widget.register
def _(p: Vector, label: str, common: dict, titles: dict) -> tuple | None:
    key = common.pop("key")
    if not st.toggle(label, key=f"{key}.on", **common):
        return None
    del common["help"]
    return tuple(
        col.slider(
            f"{p.name}[{i}]",
            min_value=float(p.low),
            max_value=float(p.high),
            step=float(p.step or 0.1),
            key=f"{key}.{i}",
            **common,
        )
        for i, col in enumerate(st.columns(p.length))
    )


# The batch table's column of each kind of input (st.data_editor's column_config).
@singledispatch
def table_column(p: Param) -> Any:
    raise TypeError(f"no table column for {type(p).__name__}")


@table_column.register
def _(p: Float) -> Any:
    return st.column_config.NumberColumn(p.name, min_value=p.low, max_value=p.high, help=t(p.help), format="%.3f")


@table_column.register
def _(p: Int) -> Any:
    return st.column_config.NumberColumn(p.name, min_value=p.low, max_value=p.high, step=1, help=t(p.help))


@table_column.register
def _(p: Bool) -> Any:
    return st.column_config.CheckboxColumn(p.name, help=t(p.help))


@table_column.register
def _(p: Choice) -> Any:
    return st.column_config.SelectboxColumn(p.name, options=list(p.choices), help=t(p.help))


@table_column.register
def _(p: Text) -> Any:
    return st.column_config.TextColumn(p.name, help=t(p.help), max_chars=p.length)


def set_values(prefix: str, params: tuple[Param, ...], values: dict, keep: set | frozenset = frozenset()) -> None:
    """Set widgets' state from plain values (presets), except the widget keys in `keep`."""
    for p in params:
        if p.name not in values or key_of(prefix, p.name) in keep:
            continue
        for suffix, value in p.split(values[p.name]).items():
            st.session_state[key_of(prefix, p.name) + suffix] = state_of(value)


def reset(prefix: str, params: tuple[Param, ...]) -> None:
    for p in params:
        for key, default in widget_keys(prefix, p).items():
            st.session_state[key] = state_of(default)


def loss_picker(key: str, options, default, names: dict, help_text: str) -> list:
    """Several losses to show at once, in the link under `key` as their keys (?cmp.show.regression=l1,huber).
    `names` must not change with any other control: the browser sends back the names it showed, and
    a name the options no longer have would reach the page as a value (issue 11)."""
    options, default = list(options), list(default)
    link.owned(key)
    if key not in st.session_state:  # seed from the link: keys or shown names, comma-separated or repeated
        raw = [part for value in st.query_params.get_all(key) for part in value.split(",")]
        by_text = {**{names.get(o, str(o)): o for o in options}, **{str(o): o for o in options}}
        picked = [by_text[part] for part in raw if part in by_text]
        st.session_state[key] = list(dict.fromkeys(picked)) if picked or raw == [""] else default
    chosen = st.multiselect(t("Losses"), options, format_func=lambda o: names.get(o, str(o)), key=key, help=help_text)
    chosen = [o for o in chosen if o in options]
    link.keep(key, ",".join(map(str, chosen)), ",".join(map(str, default)))
    return chosen


def toggle_in_link(key: str, label: str) -> bool:
    """A switch of the view that is no declared param (the curve's overlay), kept in the link."""
    link.owned(key)
    if key not in st.session_state:
        st.session_state[key] = st.query_params.get(key, "").lower() == "true"
    value = st.toggle(label, key=key)
    link.keep(key, "true" if value else "false", "false")
    return value
