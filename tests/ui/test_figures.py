"""Figure builders: the traces, their data and the fixed ranges, from core results."""

import json
import re

import numpy as np
import plotly.io as pio
import pytest

from core import compute
from core.catalog import BY_KEY
from ui.figures import adapter
from ui.figures.base import nice_range
from ui.figures.export import figure_csv, thumbnail_svg
from ui.figures.lines import lines_figure
from ui.figures.loss import curve_figure, heatmap_figure

LABELS = {"x": "x", "loss": "loss", "grad": "gradient", "point": "current"}


def test_curve_figure_draws_loss_gradient_and_the_point():
    spec = BY_KEY["huber"]
    curve = compute.curve(spec, spec.defaults(), {})
    fig = curve_figure(curve, LABELS)
    names = [t.name for t in fig.data]
    assert names == ["loss", "gradient", "current", "current"]
    assert fig.data[0].x0 == curve.x[0] and np.isclose(fig.data[0].dx, curve.x[1] - curve.x[0])
    np.testing.assert_allclose(fig.data[0].y, curve.loss.astype(np.float32))
    np.testing.assert_allclose(fig.data[1].y, curve.grad.astype(np.float32))
    assert fig.data[2].x[0] == curve.x0 and fig.data[2].y[0] == curve.loss0
    assert fig.data[3].y[0] == curve.grad0
    assert list(fig.layout.xaxis.range) == [curve.x[0], curve.x[-1]]
    low, high = fig.layout.yaxis.range
    assert low <= curve.loss.min() and high >= curve.loss.max()


def test_overlays_are_drawn_in_both_rows_with_one_legend_entry():
    spec = BY_KEY["smooth_l1"]
    values = spec.defaults()
    curve = compute.curve(spec, values, {})
    overlays = tuple((f"beta={b}", compute.curve(spec, values, {"beta": b})) for b in (0.0, 2.0))
    fig = curve_figure(curve, LABELS, overlays)
    assert [t.name for t in fig.data[:4]] == ["beta=0.0", "beta=0.0", "beta=2.0", "beta=2.0"]
    assert [t.showlegend for t in fig.data[:4]] == [True, False, True, False]
    # the y-range holds every curve, so switching the overlay on never clips it
    low, high = fig.layout.yaxis.range
    assert low <= min(c.loss.min() for _, c in overlays) and high >= max(c.loss.max() for _, c in overlays)


def test_among_overlays_the_current_curve_is_named_by_its_parameter_too():
    """The legend tells the current curve from the overlays by its value, not as "loss", with one entry for
    both rows; the hover still says which row is the loss and which the gradient, and so does the gradient
    row's name (the CSV's trace column)."""
    spec = BY_KEY["smooth_l1"]
    values = spec.defaults()
    curve = compute.curve(spec, values, {"beta": 0.75})
    overlays = tuple((f"beta={b:g}", compute.curve(spec, values, {"beta": b})) for b in (0.0, 2.0))
    fig = curve_figure(curve, LABELS, overlays, "beta=0.75")
    own = fig.data[4:6]
    assert [t.name for t in own] == ["beta=0.75", "gradient"] and [t.showlegend for t in own] == [True, False]
    assert {t.legendgroup for t in own} == {"beta=0.75"}
    assert "loss = " in own[0].hovertemplate and "gradient = " in own[1].hovertemplate
    np.testing.assert_allclose(own[0].y, curve.loss.astype(np.float32))
    assert "loss" not in [t.name for t in fig.data]
    assert [t.hovertemplate.endswith(f"<extra>{t.legendgroup}</extra>") for t in fig.data[:6]] == [True] * 6


def test_figures_stay_small():
    spec = BY_KEY["cross_entropy"]
    curve = compute.curve(spec, spec.defaults(), {})
    overlays = tuple((str(v), compute.curve(spec, spec.defaults(), {"label_smoothing": v})) for v in (0.3, 0.6, 1.0))
    assert len(pio.to_json(curve_figure(curve, LABELS, overlays))) < 40_000
    assert len(thumbnail_svg(curve.x[::6], curve.loss[::6])) < 4_000


def test_the_thumbnail_draws_the_curve_in_its_box():
    # a rising line: x runs left to right over the box, larger losses are higher (smaller svg y);
    # an infinite loss is left out
    x = np.linspace(-1.0, 1.0, 5)
    svg = thumbnail_svg(x, np.array([0.0, 1.0, np.inf, 3.0, 4.0]), width=100, height=50)
    assert svg.startswith("<svg ") and 'viewBox="0 0 100 50"' in svg
    points = [tuple(map(float, p.split(","))) for p in re.search(r'points="([^"]+)"', svg).group(1).split()]
    assert [round(px) for px, _ in points] == [0, 25, 75, 100]
    ys = [py for _, py in points]
    assert ys == sorted(ys, reverse=True) and all(0 <= py <= 50 for py in ys)


def test_a_flat_series_gets_a_readable_range_around_it():
    """A constant gradient (HingeEmbeddingLoss's 1 for y = +1) once got the range 1 ± 1e-7, whose
    ticks read 0.9999999 and 1.0000001."""
    low, high = nice_range(np.full(50, 1.0))
    assert low <= 0.9 and high >= 1.1 and high - low <= 0.5
    low, high = nice_range(np.full(50, -3.0))
    assert low <= -3.3 and high >= -2.7 and high - low <= 1.5
    low, high = nice_range(np.zeros(50))
    assert low <= -1.0 and high >= 1.0 and high - low <= 3.0


def test_nice_range_ignores_infinities_and_pads():
    low, high = nice_range(np.array([0.0, 1.0, np.inf, np.nan]))
    assert -0.2 <= low < 0 and 1 < high <= 1.2
    assert nice_range(np.array([np.inf])) == [-1.0, 1.0]


def test_heatmap_is_symmetric_around_zero():
    z = np.array([[0.5, -2.0], [1.0, 0.0]])
    fig = heatmap_figure(z, [0, 1], ["∅", "a"], {"x": "t", "y": "class"})
    trace = json.loads(pio.to_json(fig))["data"][0]
    assert trace["zmin"] == -2.0 and trace["zmax"] == 2.0 and trace["y"] == ["∅", "a"]


def test_lattice_figure_blanks_cells_off_the_lattice_and_draws_the_path():
    import torch

    from core import ctc
    from ui.figures.loss import lattice_figure

    log_probs = torch.randn(6, 4, generator=torch.Generator().manual_seed(0), dtype=torch.float64).log_softmax(-1)
    lat = ctc.lattice(log_probs, [1, 1], blank=0)
    names = ["∅", "a", "∅", "a", "∅"]
    fig = lattice_figure(lat.log_alpha, names, {"x": "t", "y": "s", "path": "best"}, lat.path)
    heat, path = fig.data
    z = np.asarray(heat.z, dtype=float)
    assert z.shape == (5, 6)  # rows: states, columns: frames
    assert np.isnan(z[4, 0]) and not np.isnan(z[0, 0])  # the final blank is out of reach at t = 0
    assert list(path.y) == lat.path and list(fig.layout.yaxis.ticktext) == names


def test_plane_figure_marks_the_point_and_draws_the_margin_line():
    from core import geometry
    from ui.figures.geometry import plane_figure

    spec = BY_KEY["margin_ranking"]
    plane = geometry.plane(spec, spec.defaults(), {"margin": 0.5}, ("x1", "x2"), (-3.0, 3.0), grid=9)
    fig = plane_figure(
        plane,
        {"x": "x1", "y": "x2", "loss": "loss", "extra": "", "point": "current"},
        lines=(("margin", np.array([-3.0, 3.0]), np.array([-3.5, 2.5])),),
    )
    kinds = [trace.type for trace in fig.data]
    assert kinds == ["contour", "scatter", "scatter"]
    assert (fig.data[2].x[0], fig.data[2].y[0]) == plane.point
    np.testing.assert_allclose(fig.data[0].z, plane.loss.astype(np.float32))


def test_plane_figure_has_a_second_panel_for_the_probability():
    from core import geometry
    from ui.figures.geometry import plane_figure

    spec = BY_KEY["cross_entropy"]
    plane = geometry.plane(
        spec, spec.defaults(), {}, ("z0", "z1"), (-5.0, 5.0), grid=9, extra=geometry.true_class_probability(True)
    )
    fig = plane_figure(plane, {"x": "z0", "y": "z1", "loss": "loss", "extra": "p", "point": "current"})
    assert [trace.type for trace in fig.data].count("contour") == 2
    assert len(pio.to_json(fig)) < 60_000


def test_triplet_figure_draws_points_distances_ring_and_arrows():
    from core import geometry
    from ui.figures.geometry import triplet_figure

    spec = BY_KEY["triplet_margin"]
    points = geometry.triplet(spec, spec.defaults(), {"swap": True})
    ring = geometry.p_ball(points.anchor, points.d_pos + 1.0, 2.0)
    names = {"anchor": "a", "positive": "p", "negative": "n", "ring": "ring"}
    fig = triplet_figure(points, ring, names, swap=True)
    assert len(fig.data) == 1 + 3 + 3  # ring, three distances (with swap), three points
    assert len(fig.layout.annotations) == 3  # an arrow per point that the gradient moves


def test_bars_and_lines_figures():
    from core import compare
    from ui.figures.geometry import bars_figure

    fig = bars_figure(
        np.array([0.3, 0.7, 0.1]),
        np.array([0.0, 0.46, 0.26]),
        ["0", "1", "2"],
        [True, False, False],
        {"scores": "s", "shares": "h"},
    )
    assert [t.type for t in fig.data] == ["bar", "bar"]
    assert list(fig.data[0].marker.line.color)[0] != "rgba(0,0,0,0)"
    lines = compare.classification()
    fig = lines_figure(lines, {"x": "m", "loss": "loss", "grad": "gradient"})
    assert len(fig.data) == 2 * len(lines)
    assert fig.data[0].line.dash == "dot"  # the 0-1 loss is no torch loss
    assert len(pio.to_json(fig)) < 60_000


def test_figures_are_validated_in_the_tests():
    # the app builds figures without plotly's validation; the tests' check catches a typo
    from tests.conftest import validated

    build = validated(adapter.figure)
    build([{"type": "scatter", "y": [1, 2]}], {})
    with pytest.raises(ValueError, match="colour"):
        build([{"type": "scatter", "y": [1, 2], "line": {"colour": "red"}}], {})


def test_named_colorscales_are_plotly_pythons_not_plotly_js():
    # validation used to expand 'Blues' to plotly.py's light-to-dark scale; plotly.js's own 'Blues'
    # runs dark to light and it has no 'Oranges': the figure must carry the expanded scale
    fig = adapter.figure([{"type": "contour", "z": [[0, 1], [1, 0]], "colorscale": "Blues"}], {})
    scale = fig.to_dict()["data"][0]["colorscale"]
    assert scale[0][1] == "rgb(247,251,255)" and scale[-1][1] == "rgb(8,48,107)"


def test_a_figures_csv_keeps_names_with_commas_and_every_point():
    """csv.writer quotes a name such as d(a, p) (it was once exported as d(a; p)); every point of a
    line and every cell of a heatmap is a row, read back by pandas as written."""
    import io

    import pandas as pd

    line = adapter.Figure({"data": [{"type": "scatter", "name": "d(a, p)", "x": [0.0, 1.0], "y": [2.0, 3.5]}]})
    table = pd.read_csv(io.StringIO(figure_csv(line)))
    assert list(table.columns) == ["trace", "x", "y", "z"]
    assert table["trace"].tolist() == ["d(a, p)", "d(a, p)"]
    assert table["x"].tolist() == [0.0, 1.0] and table["y"].tolist() == [2.0, 3.5]
    heat = heatmap_figure(np.array([[1.0, -2.0, 3.0], [4.0, 5.0, -6.0]]), range(3), ["a, b", "c"], {"x": "t", "y": "c"})
    rows = pd.read_csv(io.StringIO(figure_csv(heat)))
    assert len(rows) == 6 and set(rows["y"]) == {"a, b", "c"}
    assert sorted(rows["z"]) == [-6.0, -2.0, 1.0, 3.0, 4.0, 5.0]


def test_both_labels_are_drawn_in_two_colours_and_a_repeated_curve_dashed():
    """HingeEmbedding's and CosineEmbedding's y = +1 and y = −1 once shared a colour (looked up by
    unrelated loss keys); a curve identical to one already drawn is dashed so that both show."""
    from core.compare import Line

    x = np.linspace(-1, 1, 5)
    pos, neg = Line("label+1", "y = +1", x, x**2, 2 * x), Line("label-1", "y = -1", x, -x, -np.ones(5))
    fig = lines_figure([pos, neg], {"x": "x", "loss": "loss", "grad": "grad"})
    colours = {trace.name: trace.line.color for trace in fig.data}
    assert colours["y = +1"] != colours["y = -1"]
    twin = Line("twin", "twin", x, x**2, 2 * x)
    fig = lines_figure([pos, twin, neg], {"x": "x", "loss": "loss", "grad": "grad"})
    dashes = {trace.name: trace.line.dash for trace in fig.data}
    assert dashes["twin"] == "dash" and dashes["y = +1"] is None and dashes["y = -1"] is None


# The golden check of the fast path (ui/figures/adapter.py): what Streamlit gets from every builder
# equals what plotly's own validated go.Figure makes of the same dicts, less the template. A plotly
# upgrade that changes either side (to_dict's typed arrays, validation's dropping of None, the named
# colorscales) fails here, not in a student's browser.


def _golden_cases() -> dict:
    """Each builder on representative inputs: name -> a function making its figure."""
    import torch

    from core import compare, ctc, geometry
    from ui.figures.geometry import bars_figure, plane_figure, triplet_figure, vectors_figure
    from ui.figures.head import head_figure
    from ui.figures.loss import lattice_figure
    from ui.figures.memory import memory_figure
    from ui.figures.training import boundary_figure, fit_figure, history_figure

    huber, smooth = BY_KEY["huber"], BY_KEY["smooth_l1"]
    curve = compute.curve(huber, huber.defaults(), {})
    overlays = tuple((f"beta={b}", compute.curve(smooth, smooth.defaults(), {"beta": b})) for b in (0.5, 2.0))
    log_probs = torch.randn(6, 4, generator=torch.Generator().manual_seed(0), dtype=torch.float64).log_softmax(-1)
    lat = ctc.lattice(log_probs, [1, 2], blank=0)
    ranking, ce, triplet = BY_KEY["margin_ranking"], BY_KEY["cross_entropy"], BY_KEY["triplet_margin"]
    plane = geometry.plane(ranking, ranking.defaults(), {"margin": 0.5}, ("x1", "x2"), (-3.0, 3.0), grid=9)
    extra = geometry.true_class_probability(True)
    two = geometry.plane(ce, ce.defaults(), {}, ("z0", "z1"), (-5.0, 5.0), grid=9, extra=extra)
    points = geometry.triplet(triplet, triplet.defaults(), {"swap": True})
    ring = geometry.p_ball(points.anchor, points.d_pos + 1.0, 2.0)
    plane_labels = {"x": "x1", "y": "x2", "loss": "loss", "extra": "p", "point": "current"}
    rng = np.random.default_rng(0)
    x, axis = rng.normal(size=(12, 2)), np.linspace(-2.0, 2.0, 5)
    grid = np.linspace(-1.0, 1.0, 7)
    head = _head_plane()
    head_labels = {
        "x": "x0",
        "y": "x1",
        "loss": "loss",
        "point": "current",
        "boundary": "boundary",
        "classes": ["0", "1", "2"],
        "arrows": ["w0", "w1", "w2"],
    }
    return {
        "head_figure": lambda: head_figure(head, head_labels),
        "curve_figure": lambda: curve_figure(curve, LABELS, overlays),
        "memory_figure": lambda: memory_figure(
            [1024, 4096, 16384],
            [3e7, 1.2e8, 4.8e8],
            [2e6, 4e6, 1.6e7],
            [1e7, 4e7, 1.6e8],
            (4096, 1.2e8, 4e6),
            {k: k for k in ("x", "y", "reference", "chunked", "logits", "current", "rule")},
            threshold=2048.0,
        ),
        "heatmap_figure": lambda: heatmap_figure(
            np.arange(12.0).reshape(3, 4) - 5, range(4), ["∅", "a", "b"], {"x": "t", "y": "class"}
        ),
        "lattice_figure": lambda: lattice_figure(
            lat.log_alpha, ["∅", "a", "∅", "b", "∅"], {"x": "t", "y": "s", "path": "best"}, lat.path
        ),
        "lines_figure": lambda: lines_figure(compare.classification(), LABELS, point=-0.5),
        "plane_figure": lambda: plane_figure(plane, plane_labels, lines=(("margin", grid, grid - 0.5),)),
        "plane_figure/two panels": lambda: plane_figure(two, plane_labels),
        "triplet_figure": lambda: triplet_figure(
            points, ring, {"anchor": "a", "positive": "p", "negative": "n", "ring": "ring"}, swap=True
        ),
        "vectors_figure": lambda: vectors_figure(np.array([1.0, 2.0]), np.array([-1.5, 0.5]), {"x1": "u", "x2": "v"}),
        "bars_figure": lambda: bars_figure(
            np.array([0.3, 0.7, 0.1]),
            np.array([0.0, 0.46, 0.26]),
            ["0", "1", "2"],
            [True, False, False],
            {"scores": "s", "shares": "h"},
        ),
        "fit_figure": lambda: fit_figure(
            grid,
            grid**2,
            grid > 0.8,
            grid,
            {"MSE": grid, "L1": grid / 2},
            {"data": "d", "outliers": "o", "truth": "t"},
            truth=grid,
        ),
        "boundary_figure": lambda: boundary_figure(
            x, (x[:, 0] > 0).astype(int), axis, {"BCE": rng.uniform(size=25)}, {"class": "class"}
        ),
        "history_figure": lambda: history_figure(
            {"MSE": (np.arange(5), np.linspace(2, 1, 5)), "L1": (np.arange(5), np.linspace(1, 0.5, 5))},
            {"step": "step", "loss": "loss"},
        ),
    }


def _head_plane():
    """A linear head with three classes over a small grid (core.geometry.HeadPlane), its class (a
    plain argmax) and its boundaries (core.geometry.class_boundaries)."""
    import torch

    from core import geometry

    weight = np.array([[2.0, 0.0], [-1.0, 1.5], [-1.0, -1.5]])
    bias = np.array([0.5, 0.0, -0.5])
    axis = np.linspace(-3.0, 3.0, 7)
    gx, gy = np.meshgrid(axis, axis)
    logits = np.stack([gx, gy], -1) @ weight.T + bias
    predicted = logits.argmax(-1)
    centres = np.array([[gx[predicted == c].mean(), gy[predicted == c].mean()] for c in range(3)])
    tensors = torch.tensor(weight), torch.tensor(bias)
    return geometry.HeadPlane(
        axis,
        axis,
        np.log(np.exp(logits).sum(-1)) - logits[..., 0],
        predicted,
        weight,
        bias,
        geometry.class_boundaries(*tensors, (-3.0, 3.0), points=41),
        centres,
        (1.0, 0.5),
        0.25,
        0,
        0,
    )


def test_head_figure_draws_loss_boundaries_regions_arrows_and_the_point():
    from ui.figures.head import head_figure

    plane = _head_plane()
    labels = {"x": "x0", "y": "x1", "loss": "L", "point": "now", "boundary": "b", "classes": ["A", "B", "C"]}
    fig = head_figure(plane, {**labels, "arrows": ["w0", "w1", "w2"]})
    contour, boundary, regions, names, point = fig.data
    np.testing.assert_allclose(contour.z, plane.loss.astype(np.float32))
    np.testing.assert_allclose(boundary.x, plane.boundaries[:, 0].astype(np.float32))
    assert list(regions.text) == ["A", "B", "C"] and list(names.text) == ["w0", "w1", "w2"]
    assert (point.x[0], point.y[0]) == plane.point
    arrows = [a for a in fig.layout.annotations if a.showarrow]
    assert [(a.x, a.y, a.ax, a.ay) for a in arrows] == [(w[0], w[1], 0.0, 0.0) for w in plane.weight.tolist()]
    widths = [a.arrowwidth for a in arrows]
    assert widths[plane.target] > max(w for c, w in enumerate(widths) if c != plane.target)
    assert list(fig.layout.xaxis.range) == [-3.0, 3.0] and fig.layout.yaxis.scaleanchor == "x"
    assert len(pio.to_json(fig)) < 60_000


def _without_template(spec: dict) -> dict:
    return {**spec, "layout": {k: v for k, v in spec["layout"].items() if k != "template"}}


def _assert_same(got, expected, where="figure"):
    """Equal dicts, lists, strings and booleans; numbers by value; numpy arrays (what to_dict leaves
    as they are) by dtype and value."""
    if isinstance(expected, dict):
        assert isinstance(got, dict) and got.keys() == expected.keys(), (where, sorted(got), sorted(expected))
        for key in expected:
            _assert_same(got[key], expected[key], f"{where}.{key}")
    elif isinstance(expected, (list, tuple)):
        assert isinstance(got, (list, tuple)) and len(got) == len(expected), where
        for i, (a, b) in enumerate(zip(got, expected, strict=True)):
            _assert_same(a, b, f"{where}[{i}]")
    elif isinstance(expected, np.ndarray):
        assert isinstance(got, np.ndarray) and got.dtype == expected.dtype, where
        np.testing.assert_array_equal(got, expected, err_msg=where)
    elif isinstance(expected, (int, float, np.number)) and not isinstance(expected, bool):
        # a numpy scalar is the same number in the JSON Streamlit sends (pio.to_json)
        assert isinstance(got, (int, float, np.number)) and not isinstance(got, bool), (where, got, expected)
        assert got == expected, (where, got, expected)
    else:
        assert type(got) is type(expected) and got == expected, (where, got, expected)


def test_golden_cases_cover_every_builder():
    import importlib
    import inspect
    import pkgutil

    import ui.figures

    builders = {
        name
        for module in pkgutil.iter_modules(ui.figures.__path__, "ui.figures.")
        for name, fn in inspect.getmembers(importlib.import_module(module.name), inspect.isfunction)
        if name.endswith("_figure") and fn.__module__ == module.name
    }
    assert len(builders) >= 11 and builders == {name.split("/")[0] for name in _golden_cases()}


@pytest.mark.parametrize("name", list(_golden_cases()))
@pytest.mark.parametrize("presented", [False, True], ids=["plain", "presented"])
def test_what_streamlit_gets_is_what_plotly_would_make(name, presented, monkeypatch):
    """The adapter's output (what st.plotly_chart serialises: for_streamlit().to_dict(), then
    pio.to_json) equals go.Figure(spec).to_dict() with plotly's full validation, less the template;
    the figure's plotly view (data, layout, to_dict: the CSV and the tests) reads the same."""
    import plotly.graph_objects as go
    import plotly.io as pio

    made = []
    build = adapter.figure

    def recording(data, layout):
        made.append({"data": data, "layout": layout})
        return build(data, layout)

    monkeypatch.setattr(adapter, "figure", recording)
    fig = _golden_cases()[name]()
    assert len(made) == 1
    spec = made[0]
    if presented:
        fig = fig.presented()
        spec = fig.spec
    expected = _without_template(go.Figure(spec).to_dict())
    got = fig.for_streamlit().to_dict()
    assert got["layout"]["template"] == {}  # plotly's default template stays out (~7 KB a figure)
    _assert_same(_without_template(got), expected)
    assert (
        json.loads(pio.to_json(fig.for_streamlit(), validate=False))["data"]
        == json.loads(pio.to_json(expected))["data"]
    )
    _assert_same(_without_template(fig.to_dict()), expected)


def test_no_loss_key_in_the_figures():
    """Colours and styles come with the data (core.compare.Line.color), never from a table keyed by
    a loss (LINE_COLORS once was, and gave HingeEmbedding's two labels one colour)."""
    import ast
    from pathlib import Path

    from core import compare

    keys = set(BY_KEY) | {line.key for line in compare.regression() + compare.classification() + compare.probability()}
    folder = Path(__file__).resolve().parents[2] / "ui" / "figures"
    found = [
        (path.name, node.value)
        for path in sorted(folder.glob("*.py"))
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Constant) and node.value in keys
    ]
    assert "l1" in keys and "label+1" not in keys and not found, found


def test_compare_lines_keep_their_colours_whichever_are_shown():
    """Today's colours on the Compare page (L1 blue, MSE orange, ...; the 0-1 loss dark grey), and a
    line keeps its colour when the lines before it are hidden."""
    from core import compare

    def colours(lines):
        fig = lines_figure(lines, LABELS)
        return {trace.name: trace.line.color for trace in fig.data}

    regression = compare.regression()
    assert list(colours(regression).values()) == ["#1971c2", "#d9480f", "#2f9e44", "#9c36b5", "#e67700"]
    classification = {line.key: line for line in compare.classification()}
    expected = {"zero_one": "#495057", "hinge": "#1971c2", "squared_hinge": "#9c36b5", "soft_margin": "#2f9e44"}
    expected["bce_logits"] = "#d9480f"
    assert {key: colours([line])[line.label] for key, line in classification.items()} == expected
    assert colours(regression[2:])[regression[2].label] == "#2f9e44"
    bce, logits = compare.probability()
    assert colours([logits])[logits.label] == "#d9480f" != colours([bce])[bce.label]
