"""The address bar is the view: what a page shows is in its link, at every moment, and a link opens
what it holds, whether it is new, reloaded, or reached by the browser's Back and Forward.

- Every control of a page puts its value in the run's link as text (`keep`); at the end of every run,
  a fragment's too, `publish` writes the link exactly: the page's values that are not their default,
  then the app-wide choices (language, presentation). Nothing else stays there: a refused value, a
  repeated key or a key no control reads is gone once the page has shown what it shows instead.
- On a page's full run, `enter` decides where its values come from. Arriving from another page or a
  fresh session, or by the browser's Back or Forward (Streamlit flags that run), they come from the
  link when it names any of the page's controls, or the session is new, or it is Back or Forward; a
  sidebar click, whose link Streamlit drops, brings back the view the session last showed on that
  page. Within a page (a language switch, its own sidebar entry) the session's state stays.
- Widgets are not bound to the link by Streamlit (`bind="query-params"`): on Back and Forward it
  resets a bound widget whose key the entry lacks to the widget's own default (a slider's minimum, for
  ours, which take their values from session state), and on a page change it removes the bound keys
  from the entry being left, so that Back finds the page without its values.
- Each server write of the link makes Streamlit's client push a history entry. `HISTORY_JS` makes a
  push within the same page replace the entry instead: Back and Forward step through page visits,
  each entry holding the view as it was last seen there, and not through every slider move. It also
  keeps the entry of a page being left by a link from being overwritten on the way out.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

# choices every page keeps in its link, each written by its own module (ui/kit/i18n.py, lecture.py)
APP_WIDE = ("lang", "present")
KEPT = "_link.kept"  # key -> its text, in the order the run's controls were drawn
DEFAULTS = "_link.defaults"  # key -> its default text
VIEWS = "_link.views"  # page -> the link's part of that page, as it was last published
OWNED = "_link.owned"  # page -> the session-state keys its controls were seeded under
LAST = "_link.last"  # the page that published last
CARRIED = "_link.carried"  # keys of controls not drawn since their value was published

# Our own constant script (no user text). Streamlit's client calls history.pushState for each change
# of the link a run makes, and for a page change; within one page, a push becomes a replace. After a
# click on a link to another page, and until that page's entry is pushed, the client may still
# write the link of the page being left (in the order its messages arrive): those writes would
# replace the left page's entry, which Back returns to, so they are dropped.
HISTORY_JS = """<script>
if (!window.__lossExplorerHistory) {
  window.__lossExplorerHistory = true;
  const history = window.history;
  const push = history.pushState.bind(history);
  const replace = history.replaceState.bind(history);
  let leaving = 0;  // when a link to another page was clicked; 0 when none is under way
  document.addEventListener("click", (event) => {
    const a = event.target.closest && event.target.closest("a[href]");
    // the home page's link has an empty href, which a browser resolves to the current address
    const target = a && new URL(a.getAttribute("href") || "./", window.location.href).pathname;
    if (a && target !== window.location.pathname) {
      leaving = Date.now();
    }
  }, true);
  const left = (url) => {
    const next = new URL(url, window.location.href);
    if (next.pathname !== window.location.pathname) { leaving = 0; return false; }
    return leaving && Date.now() - leaving < 10000;
  };
  history.replaceState = function (state, title, url) {
    if (left(url)) return;
    return replace(state, title, url);
  };
  history.pushState = function (state, title, url) {
    const next = new URL(url, window.location.href);
    if (next.pathname === window.location.pathname) {
      return left(url) ? undefined : replace(state, title, url);
    }
    leaving = 0;
    return push(state, title, url);
  };
}
</script>"""


def _page() -> str:
    ctx = get_script_run_ctx()
    return ctx.page_script_hash if ctx is not None else ""


def _history_navigation() -> bool:
    ctx = get_script_run_ctx()
    return bool(ctx is not None and ctx.is_history_navigation)


def _page_part(prefixes: tuple[str, ...]) -> dict[str, list[str]]:
    """The link's keys that belong to the page (by their prefixes), with every value given."""
    if not prefixes:
        return {}
    return {key: st.query_params.get_all(key) for key in st.query_params if key.startswith(prefixes)}


def enter(prefixes: tuple[str, ...]) -> None:
    """The first call of a page's full run, before its widgets are seeded (`prefixes`: the start of
    its controls' keys, "huber." for HuberLoss; none for a page without controls)."""
    page, views = _page(), st.session_state.setdefault(VIEWS, {})
    history = _history_navigation()
    # Within one page (a language switch, a control outside a fragment, its own sidebar entry) the
    # session holds what is drawn and what the user just changed, and the link a client sends may be
    # older than the one published last: it is not read again.
    if history or page != st.session_state.get(LAST):
        for key in st.session_state.get(OWNED, {}).get(page, ()):
            st.session_state.pop(key, None)
        if not (history or _page_part(prefixes) or page not in views):
            # another page's sidebar link, which Streamlit gives no query: the view shown here last
            for key, value in views[page].items():
                st.query_params[key] = value
    st.session_state[KEPT], st.session_state[DEFAULTS] = {}, {}
    st.html(HISTORY_JS, unsafe_allow_javascript=True)


def owned(key: str) -> None:
    """`key` holds a control's state on this page: a view from another link seeds it again."""
    st.session_state.setdefault(OWNED, {}).setdefault(_page(), set()).add(key)


def carried(key: str) -> str | None:
    """The link's text for a control drawn again after a run without it, else None. (Streamlit
    gives a widget that missed a run its own default, not the value the session had.)"""
    waiting = st.session_state.get(CARRIED, set())
    if key not in waiting:
        return None
    waiting.discard(key)
    return st.query_params.get(key)


def keep(key: str, text: str, default: str) -> None:
    """A control's value is part of the view: in the link as `text` unless it is `default`."""
    kept, defaults = st.session_state.setdefault(KEPT, {}), st.session_state.setdefault(DEFAULTS, {})
    kept[key], defaults[key] = text, default
    owned(key)


def view() -> dict[str, str]:
    """The page's part of the link: every control's value that is not its default, in drawing order."""
    kept, defaults = st.session_state.get(KEPT, {}), st.session_state.get(DEFAULTS, {})
    return {key: text for key, text in kept.items() if text != defaults[key]}


def reset() -> None:
    """Forget the page's view: its controls start again from their defaults on the next run."""
    page = _page()
    for key in st.session_state.get(OWNED, {}).get(page, ()):
        st.session_state.pop(key, None)
    for key in st.session_state.get(VIEWS, {}).pop(page, {}):
        if key in st.query_params:
            del st.query_params[key]
    st.session_state[KEPT], st.session_state[DEFAULTS] = {}, {}


def wanted() -> dict[str, str]:
    """The link of what this run shows so far: the page's part, then the app-wide choices."""
    return {**view(), **{key: st.query_params[key] for key in APP_WIDE if key in st.query_params}}


def publish() -> None:
    """Write the link of what the run showed, exactly (the last call of every page run and fragment).
    A control the run did not draw (the playground hides those that do not apply) keeps its value in
    the link, and its widget takes it from there when it is drawn again (`carried`)."""
    page, views = _page(), st.session_state.setdefault(VIEWS, {})
    if st.session_state.get(LAST) == page:
        kept = st.session_state.setdefault(KEPT, {})
        for key, text in views.get(page, {}).items():
            if key not in kept:
                keep(key, text, "")
                st.session_state.setdefault(CARRIED, set()).add(key)
    views[page] = view()
    st.session_state[LAST] = page
    link = wanted()
    current = [(key, value) for key in st.query_params for value in st.query_params.get_all(key)]
    if current != list(link.items()):
        st.query_params.from_dict(link)
