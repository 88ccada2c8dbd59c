"""Languages: English source strings, translated by lookup (gettext style). The language lives in
`st.session_state["lang"]`, seeded from `?lang=` or the browser's locale, and written back to the URL."""

from __future__ import annotations

import threading

import streamlit as st

from ui.kit.zh import ZH

LANGS = {"en": "English", "zh": "中文"}
TRANSLATIONS = {"zh": ZH}


# The language of the run under way. Streamlit starts each run (and each fragment rerun) in a new
# thread, so a thread-local value lives one run: set where a run learns its language
# (`init_language`, `begin_run`, the switch's callback), it spares the hundred or so `t()` calls
# of a page a locked read of the session state each (~5 % of a page run, bench/load.py).
_run = threading.local()


def lang() -> str:
    known = getattr(_run, "lang", None)
    return known if known is not None else st.session_state.get("lang", "en")


def begin_run() -> None:
    """Remember the session's language for the rest of this run (a fragment's rerun calls it)."""
    _run.lang = st.session_state.get("lang", "en")


def t(text: str, **values) -> str:
    """`text` in the current language, with `values` filled in."""
    out = TRANSLATIONS.get(lang(), {}).get(text, text) if text else text
    return out.format(**values) if values else out


def in_any_language(text: str) -> set[str]:
    """`text` and each of its translations: what a link may carry where the address bar shows a
    choice's text (Streamlit writes a selectbox's or radio's shown text there)."""
    return {text} | {table[text] for table in TRANSLATIONS.values() if text in table}


def allowed_text(error) -> str:
    """What a LossValueError says is allowed, in the current language."""
    return t(error.template).format(**{k: t(v) if isinstance(v, str) else v for k, v in error.values.items()})


def error_text(error) -> str:
    """A LossValueError in the current language: the name, the value given (user text: quoted, never
    read as Markdown) and what is allowed."""
    from ui.kit.safe import quoted  # ui.kit.safe translates its note with t(): imported here, not in a cycle

    return t(
        "{name} = {value} is not allowed: {allowed}",
        name=error.name,
        value=quoted(error.value),
        allowed=allowed_text(error),
    )


# how the current language ends a sentence and separates two
_SENTENCES = {"en": (".", " "), "zh": ("。", "")}
_ENDS = (".", "!", "?", "。", "！", "？")


def sentences(*texts: str) -> str:
    """Texts already in the current language, as consecutive sentences: a text that does not end one gets the
    language's full stop (an error text ends with what is allowed, "... from 'abcde'"), and English puts a space
    between them."""
    stop, gap = _SENTENCES.get(lang(), _SENTENCES["en"])
    return gap.join(text if text.endswith(_ENDS) else text + stop for text in texts)


def init_language() -> None:
    """Seed the language once per session (deep link first, then the browser's locale), and keep
    `?lang=` in the address bar on every page, since a page link drops query parameters."""
    if "lang" not in st.session_state:
        wanted = st.query_params.get("lang")
        if wanted not in LANGS:
            locale = (st.context.locale or "en").lower()
            wanted = "zh" if locale.startswith("zh") else "en"
        st.session_state["lang"] = wanted
    if st.query_params.get("lang") != st.session_state["lang"]:
        st.query_params["lang"] = st.session_state["lang"]
    begin_run()


CHOICE_KEYS = "_translated_choices"


def translated_choice(key: str) -> str:
    """Mark a selectbox or radio whose options are shown translated (a `format_func` calling `t`).
    The browser sends such a widget's choice as the text it showed; in the run that switches the
    language, Streamlit looks that text up among the new language's texts, misses, and hands the
    text itself to the app as the value. `_picked` pins these widgets' values first. Returns `key`."""
    st.session_state.setdefault(CHOICE_KEYS, set()).add(key)
    return key


def _picked() -> None:
    if st.session_state["lang_pick"]:  # clicking the active choice deselects it: keep the language
        # read with the old language's texts (this callback runs before the page), set as values:
        # a value set in a callback wins over what the browser sent
        for key in st.session_state.get(CHOICE_KEYS, ()):
            if key in st.session_state:
                st.session_state[key] = st.session_state[key]
        st.session_state["lang"] = st.session_state["lang_pick"]
        begin_run()


def language_picker() -> None:
    st.session_state["lang_pick"] = lang()
    st.segmented_control(
        "Language / 语言",
        list(LANGS),
        format_func=lambda code: LANGS[code],
        key="lang_pick",
        on_change=_picked,
        label_visibility="collapsed",
    )
