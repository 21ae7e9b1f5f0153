"""The ink written on a filled status badge reads against the badge's colour."""

import pytest

from stalker_web.config import load_studio_config
from stalker_web.services.workflow.status_colours import (
    DARK_INK,
    LIGHT_INK,
    contrast_ratio,
    ink_for,
)


def test_contrast_ratios_follow_wcag():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("#123456", "#123456") == 1


def test_light_colours_take_dark_ink_and_dark_colours_white():
    assert ink_for("#f7dc6f") == DARK_INK
    assert ink_for("#566573") == LIGHT_INK


@pytest.mark.parametrize("code", list(load_studio_config()["statuses"]))
def test_every_default_status_badge_is_readable(code):
    colour = load_studio_config()["statuses"][code][1]
    assert contrast_ratio(colour, ink_for(colour)) >= 4.5
