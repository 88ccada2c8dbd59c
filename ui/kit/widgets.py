"""Where a declared `Param` becomes a widget — the only place. Every widget has an app-wide
unique key `<loss>.<name>` bound to the URL; its state is seeded from the URL or the default."""

from __future__ import annotations

import math
from dataclasses import replace

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from core.params import LossValueError, Param
from ui.kit.i18n import allowed_text, in_any_language, t, translated_choice
from ui.kit.safe import quoted

LOG_STEPS = (1e-12, 1e-10, 1e-8, 1e-6, 1e-4, 1e-3, 1e-2, 0.1)
BIND = "query-params"


def key_of(prefix: str, name: str) -> str:
    return f"{prefix}.{name}"


def widget_keys(prefix: str, p: Param) -> dict[str, object]:
    """Each widget key of a param and its default state (a vector has a switch and one per entry)."""
    base = key_of(prefix, p.name)
    if p.kind == "vector":
        start = p.default if p.default is not None else p.ui_default
        return {f"{base}.on": p.default is not None, **{f"{base}.{i}": v for i, v in enumerate(start)}}
    return {base: p.default}


def _parse(p: Param, raw: str, titles: dict | None = None):
    """A URL value as the param's Python value, or raise LossValueError. A choice may come as its
    value or as the text its widget shows, in either language (`titles`: value -> English text)."""
    try:
        if p.kind == "float":
            value = float(raw)
        elif p.kind == "int":
            value = int(raw)
        elif p.kind == "bool":
            value = {"true": True, "false": False}[raw.lower()]
        elif p.kind == "choice":
            shown = titles or {}
            value = next(c for c in p.choices if raw == str(c) or raw in in_any_language(shown.get(c, _shown(c))))
        else:
            value = raw
    except (ValueError, KeyError, StopIteration):
        raise p.error(raw) from None
    if p.kind == "float" and p.log_scale:
        value = min(LOG_STEPS + (p.default,), key=lambda s: abs(math.log10(s) - math.log10(max(value, 1e-300))))
    return p.validate(value)


def seed(prefix: str, params: tuple[Param, ...], titles: dict | None = None) -> list[str]:
    """Put every widget's state in place before it is drawn: a valid URL value, else the default.
    Returns a notice for each URL value that was not allowed. (`titles`: param name -> the English
    text of each of its choices, as given to `param_input`.)"""
    notices = []
    for p in params:
        for key, default in widget_keys(prefix, p).items():
            if key in st.session_state:
                continue
            raw = st.query_params.get(key)
            value = default
            if raw is not None:
                entry = p if key == key_of(prefix, p.name) else _entry_param(p, key)
                try:
                    value = _parse(entry, raw, (titles or {}).get(p.name))
                except LossValueError as error:
                    _forget_link_value(key)
                    notices.append(
                        t(
                            "The link's value {value} for {name} is not allowed ({allowed}); the default is used.",
                            value=quoted(raw),
                            name=key,
                            allowed=allowed_text(error),
                        )
                    )
            st.session_state[key] = value
    return notices


def _forget_link_value(key: str) -> None:
    """Take a refused value out of the link, and out of the link Streamlit seeds bound widgets from
    on a page's first run: Streamlit 1.67 reads it for the widget itself, and its int number_input
    raises OverflowError on inf or 1e400 (found by tests/app/test_fuzz.py). Private API, pinned
    streamlit; the fuzz test fails if it stops working."""
    del st.query_params[key]
    ctx = get_script_run_ctx()
    if ctx is not None:
        with ctx.session_state.query_params() as params:
            params._initial_query_params.pop(key, None)


def _entry_param(p: Param, key: str) -> Param:
    if key.endswith(".on"):
        return Param(p.name, "bool", False)
    return Param(p.name, "float", 1.0, low=p.low, high=p.high)


def label_of(p: Param) -> str:
    return f"{p.name} ({p.unit})" if p.unit else p.name


def _shown(value) -> str:
    """A choice's text in English (only None reads as words: the others are torch's own values)."""
    return "None (default)" if value is None else str(value)


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
    common = dict(key=key, help=help_text, bind=BIND, disabled=disabled, on_change=on_change)
    if p.kind == "float" and p.log_scale:
        options = sorted(set(LOG_STEPS + (p.default,)))
        return st.select_slider(label_of(p), options=options, format_func=lambda v: f"{v:g}", **common)
    if p.kind == "float":
        return st.slider(
            label_of(p),
            min_value=float(p.low),
            max_value=float(p.high),
            step=float(p.step or (p.high - p.low) / 100),
            **common,
        )
    if p.kind == "int" and p.high - p.low > 100:  # a seed: typed, not slid
        return st.number_input(label_of(p), min_value=int(p.low), max_value=int(p.high), step=1, **common)
    if p.kind == "int":
        return st.slider(label_of(p), min_value=int(p.low), max_value=int(p.high), step=int(p.step or 1), **common)
    if p.kind == "bool":
        return st.toggle(label_of(p), **common)
    if p.kind == "choice":
        # not bound to the link: Streamlit would write the shown (translated) text there, and drops a
        # link's key (?cmp.group=classification) as no option's text; the link holds the key instead
        translated_choice(key)
        shown = titles or {}
        del common["bind"]
        value = st.radio(
            label_of(p), p.choices, format_func=lambda c: t(shown.get(c, _shown(c))), horizontal=True, **common
        )
        keep_in_link(key, str(value), str(p.default))
        return value
    if p.kind == "text":  # the field takes no more than the param allows (a pasted 100 KB text stays out of the link)
        return st.text_input(label_of(p), max_chars=p.length, **common)
    on = st.toggle(label_of(p), key=f"{key}.on", help=help_text, bind=BIND, disabled=disabled, on_change=on_change)
    if not on:
        return None
    columns = st.columns(p.length)
    return tuple(
        col.slider(
            f"{p.name}[{i}]",
            min_value=float(p.low),
            max_value=float(p.high),
            step=float(p.step or 0.1),
            key=f"{key}.{i}",
            bind=BIND,
            disabled=disabled,
            on_change=on_change,
        )
        for i, col in enumerate(columns)
    )


def set_values(prefix: str, params: tuple[Param, ...], values: dict, keep: set = frozenset()) -> None:
    """Set widgets' state from plain values (presets), except the widget keys in `keep`."""
    for p in params:
        if p.name not in values or key_of(prefix, p.name) in keep:
            continue
        value = values[p.name]
        if p.kind == "vector":
            st.session_state[f"{key_of(prefix, p.name)}.on"] = value is not None
            for i, v in enumerate(value or ()):
                st.session_state[f"{key_of(prefix, p.name)}.{i}"] = float(v)
        else:
            st.session_state[key_of(prefix, p.name)] = value


def reset(prefix: str, params: tuple[Param, ...]) -> None:
    for p in params:
        for key, default in widget_keys(prefix, p).items():
            st.session_state[key] = default


def keep_in_link(key: str, value: str, default: str) -> None:
    """Write a choice to the link by its key, as i18n does for ?lang= (none when it is the default,
    as Streamlit does for a bound widget). For the choice widgets we do not bind to the link."""
    if value == default:
        if key in st.query_params:
            del st.query_params[key]
    elif st.query_params.get(key) != value:
        st.query_params[key] = value


def loss_picker(key: str, options, default, names: dict, help_text: str) -> list:
    """Several losses to show at once, in the link under `key` as their keys (?cmp.show.regression=l1,huber).
    `names` must not change with any other control: the browser sends back the names it showed, and
    a name the options no longer have would reach the page as a value (issue 11)."""
    options, default = list(options), list(default)
    if key not in st.session_state:  # seed from the link: keys or shown names, comma-separated or repeated
        raw = [part for value in st.query_params.get_all(key) for part in value.split(",")]
        by_text = {**{names.get(o, str(o)): o for o in options}, **{str(o): o for o in options}}
        picked = [by_text[part] for part in raw if part in by_text]
        st.session_state[key] = list(dict.fromkeys(picked)) if picked or raw == [""] else default
    chosen = st.multiselect(t("Losses"), options, format_func=lambda o: names.get(o, str(o)), key=key, help=help_text)
    chosen = [o for o in chosen if o in options]
    keep_in_link(key, ",".join(map(str, chosen)), ",".join(map(str, default)))
    return chosen
