"""Figure builders of the Loss comparison page of its own (core.figures.comparison)."""

import numpy as np

from core.comparison import imbalance_dataset, imbalance_shares
from core.figures.comparison import imbalance_share_figure


def test_imbalance_share_figure_groups_percentages_by_class():
    shares = imbalance_shares(*imbalance_dataset(), gamma=2.0)
    fig = imbalance_share_figure(
        ["plain", "weighted", "focal"], ["major", "minor"], shares.loss_share, shares.grad_share
    )
    assert len(fig.data) == 4
    assert all(t.type == "bar" for t in fig.data)
    minor_loss = fig.data[1]
    assert minor_loss.name == "minor"
    assert list(minor_loss.x) == ["plain", "weighted", "focal"]
    np.testing.assert_allclose(np.asarray(minor_loss.y, dtype=float), 100 * shares.loss_share[:, 1])
    assert minor_loss.text[0] == f"{100 * shares.loss_share[0, 1]:.1f}%"
    # the minority is outlined, so the classes differ by more than colour (and no fill patterns are used)
    assert minor_loss.marker.line.width > 0
    assert fig.data[0].marker.line.width == 0
    assert all(t.marker.pattern.shape is None for t in fig.data)
    np.testing.assert_allclose(np.asarray(fig.data[3].y, dtype=float), 100 * shares.grad_share[:, 1])
    assert [t.showlegend for t in fig.data] == [True, True, False, False]
    assert fig.layout.barmode == "group"
