"""Loss Explorer, home page: what the app is in two sentences, then a gallery of every loss."""

import streamlit as st

from core import compare, compute
from core.catalog import LOSSES
from core.spec import FAMILIES
from ui.figures.export import thumbnail_svg
from ui.kit import link, pages
from ui.kit.admission import one_at_a_time
from ui.kit.i18n import t
from ui.kit.layout import FAMILY_ICONS, FAMILY_TITLES, page_link, setup
from ui.kit.lecture import scenario_links

THUMBNAIL_POINTS = 80


@st.cache_resource(show_spinner=False)
def thumbnail(key: str):
    """The loss curve at its defaults as a small image, for the gallery: the same for every
    visitor, so made once per server."""
    spec = next(s for s in LOSSES if s.key == key)
    curve = compute.curve(spec, spec.defaults(), {})
    step = max(1, len(curve.x) // THUMBNAIL_POINTS)
    return thumbnail_svg(curve.x[::step], curve.loss[::step])


@one_at_a_time
def home() -> None:
    setup("Loss Explorer")
    st.title("Loss Explorer")
    st.write(
        t(
            "{n} of the {total} loss classes of torch.nn, computed live by real PyTorch: move the sliders for "
            "the prediction, the target and the loss's own parameters, and watch the value, the curve and the "
            "gradient change. Each loss also shows its formula worked by hand and the code that reproduces it.",
            n=len(LOSSES),
            total=len(compare.torch_loss_classes()),
        )
    )

    st.subheader(f"🎓 {t('Scenarios for a lecture')}")
    st.caption(t("Each link opens the exact view; share it with a class."))
    scenario_links()

    for family in FAMILIES:
        st.subheader(f"{FAMILY_ICONS[family]} {t(FAMILY_TITLES[family])}")
        specs = [s for s in LOSSES if s.family == family]
        columns = st.columns(3)
        for i, spec in enumerate(specs):
            with columns[i % 3].container(border=True):
                page_link(pages.of(spec).path, f"**{spec.title}**")
                st.image(thumbnail(spec.key), width="stretch", alt=t("The curve of {name}", name=spec.title))
                st.caption(t(spec.summary))
    link.publish()


home()
