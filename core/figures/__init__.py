"""Plotly figure builders: pure functions from arrays (and options, axis ranges too) to figures.

The only part of :mod:`core` that imports plotly.  Builders take numbers computed elsewhere in ``core``
(or compute them by calling ``core``), never streamlit state, and are tested without a browser.  A page
draws what a builder returns and never calls a method on it (that would leave the fast path, see
:mod:`core.figures.engine`).

This package re-exports nothing: import each name from the module that holds it, e.g.
``from core.figures.binary import bce_probability_figure``.

=====================================  ==========================================================
module                                 holds
=====================================  ==========================================================
:mod:`core.figures.engine`             ``Draft``, ``SpecFigure``, ``figure_builder``, the trace
                                       helpers ``scatter``/``bar``/``heatmap``, ``plottable``, the
                                       fast-path watch
:mod:`core.figures.style`              the house style: ``COLORS``, ``PALETTE``, ``POSITIVE`` /
                                       ``NEGATIVE`` / ``TRUE_CLASS`` / ``NEUTRAL``, sizes,
                                       ``styled``, ``hatch``, ``DIVERGING_SCALE``, legends and marks
:mod:`core.figures.output`             ``adapt`` (presenter mode, dark theme) and ``figure_csv``,
                                       used by ``ui.common.show_figure`` on every page
:mod:`core.figures.surprise`           Surprise
:mod:`core.figures.binary`             Binary cross-entropy
:mod:`core.figures.multiclass`         Multi-class logits
:mod:`core.figures.simplex`            Probability simplex
:mod:`core.figures.curves`             ``curves_figure``: Loss comparison, Numerical pitfalls
:mod:`core.figures.comparison`         Loss comparison (the imbalance demo)
:mod:`core.figures.information`        Entropy and KL
:mod:`core.figures.language`           Language-model surprise
:mod:`core.figures.pitfalls`           Numerical pitfalls
:mod:`core.figures.matrices`           ``matrix_heatmap``: Softmax gradient, Vectorized identities,
                                       Backpropagation (through ``backprop_matrix_figure``); ``matrix_grid``
                                       puts several in one chart (a stage, an identity's check)
:mod:`core.figures.softmax_gradient`   Softmax gradient
:mod:`core.figures.backprop`           Backpropagation
:mod:`core.figures.minibatch`          Mini-batches
:mod:`core.figures.train`              Train a network
:mod:`core.figures.predictions`        Your own predictions (with calibration's, train's and
                                       information's builders)
=====================================  ==========================================================
"""
