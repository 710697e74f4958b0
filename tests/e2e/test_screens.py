"""The first screen on a projector and a phone: a page's main chart and the slider that drives it together.

- Presenter mode at 1280×720 and 1920×1080: with no scrolling, the slider is on screen and at least 240 px
  (360 px at 1920×1080) of its chart.
- A phone at 390×844: with the slider scrolled to the middle of the screen, at least 150 px of its chart.

ui/frame.py does most of it for every page (presenter mode folds the sidebar, the lead and the question
away and tightens the headings; on a phone a chart's column comes before the controls beside it); some
pages put their controls beside their chart for it.  The tables name each page's main slider (mostly the
one tests/perf/bench_load.py moves) and the chart it drives; every page with a chart is listed.
"""

from typing import NamedTuple

import pytest

from tests.e2e.harness import SCRIPT_DONE, page_url, wait_for_charts, warm_up


class Screen(NamedTuple):
    url_path: str
    slider: str  # the widget key of the page's main slider
    chart: str  # the key of the chart it drives


# The page's main slider and its chart.  On Surprise the first screen is the guessing game, whose chart the
# true answer (a radio) drives, and the -log p explorer's slider comes further down; on the Language page
# the first chart is the four models' scores, which the smoothing k moves (the temperature is further down).
BOTH = [
    Screen("binary", "bce_p", "bce_prob_chart"),
    Screen("multiclass", "mc_z0", "mc_chart"),
    Screen("simplex", "sx_z1", "sx_chart"),
    Screen("comparison", "cmp_p", "cmp_loss_chart"),
    Screen("kl", "kl_q0", "kl_stack_chart"),
    Screen("pitfalls", "pit_scale", "pit_naive_chart"),
    Screen("softmax_gradient", "sgrad_z1", "sgrad_jacobian"),
    Screen("calibration", "calibration_epochs", "calibration_before"),
    Screen("language", "lm_k", "lm_costs_chart"),
    Screen("minibatch", "minibatch_b", "minibatch_per_example"),
    Screen("backprop", "backprop_b", "backprop_batch"),
    Screen("identities", "ident_n", "ident_check"),
    Screen("train", "train_speed", "train_regions_0"),  # Play and the speed drive the regions
    Screen("predictions", "preds_bins", "preds_reliability"),
]
PRESENTER_SCREENS = [Screen("surprise", "sur_true", "sur_game_chart"), *BOTH]
PHONE_SCREENS = [Screen("surprise", "sur_x_cat", "sur_curve_chart"), *BOTH]
# Two projectors, each with the chart height it must show: a common projector, and a full-HD one.
PROJECTORS = {(1280, 720): 240, (1920, 1080): 360}
PHONE = (390, 844)
PHONE_CHART_PX = 150

# The on-screen part of the slider and of the chart, in px of the viewport's height.
VISIBLE_JS = """([slider, chart]) => {
    const seen = (el) => { if (!el) return null; const r = el.getBoundingClientRect();
        return [r.top, r.bottom, Math.max(0, Math.min(r.bottom, innerHeight) - Math.max(r.top, 0))]; };
    return {slider: seen(document.querySelector(`.st-key-${slider}`)),
            chart: seen(document.querySelector(`.st-key-${chart} [data-testid='stPlotlyChart']`)
                        || document.querySelector(`.st-key-${chart}`))};
}"""


@pytest.fixture(scope="module")
def base(browser, app_url):
    warm_up(browser, app_url)
    return app_url


def _open(browser, url: str, size: tuple[int, int]):
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector("[data-testid='stPlotlyChart'] .main-svg", timeout=90_000)
    page.wait_for_selector(SCRIPT_DONE, timeout=60_000)
    wait_for_charts(page)
    return page


@pytest.mark.parametrize("size", list(PROJECTORS), ids=lambda size: f"{size[0]}x{size[1]}")
@pytest.mark.parametrize("screen", PRESENTER_SCREENS, ids=lambda s: s.url_path)
def test_presenter_mode_shows_the_chart_and_its_slider_in_the_first_screen(browser, base, screen, size):
    page = _open(browser, page_url(base, screen.url_path) + "?present=1", size)
    seen = page.evaluate(VISIBLE_JS, [screen.slider, screen.chart])
    page.context.close()

    slider_top, slider_bottom, _ = seen["slider"]
    assert slider_top >= 0
    assert slider_bottom <= size[1]
    assert seen["chart"][2] >= PROJECTORS[size], seen


@pytest.mark.parametrize("screen", PHONE_SCREENS, ids=lambda s: s.url_path)
def test_on_a_phone_the_chart_stays_in_sight_of_its_slider(browser, base, screen):
    page = _open(browser, page_url(base, screen.url_path), PHONE)
    center = f"document.querySelector('.st-key-{screen.slider}').scrollIntoView({{block: 'center'}})"
    page.evaluate(center)
    page.wait_for_timeout(500)
    page.evaluate(center)  # again, once anything that loaded late above it has moved it
    seen = page.evaluate(VISIBLE_JS, [screen.slider, screen.chart])
    page.context.close()

    slider_top, slider_bottom, _ = seen["slider"]
    assert slider_top < PHONE[1] / 2 < slider_bottom
    assert seen["chart"][2] >= PHONE_CHART_PX, seen
