"""The Cross-Entropy Explorer's numerics: every number the app shows is computed here.

Pure numpy, float64 by default, the caller's float dtype kept, stable from logits.  Losses and their
gradients follow PyTorch's semantics (``torch.nn.functional``) and are tested against it.  Nothing in
this package imports streamlit; only the modules of :mod:`core.figures` import plotly.

This file re-exports nothing: import each name from the module that holds it
(``from core.losses import cross_entropy``), so a reader reaches its definition in one jump.

Where each number is computed
-----------------------------
==============================  ==========================================================================
module                          what it computes
==============================  ==========================================================================
``core.functional``             softmax, log-softmax, log-sum-exp, sigmoid and the softmax Jacobian
``core.losses``                 the losses with PyTorch's semantics, each with its ``_grad`` twin
``core.cross_entropy_kernels``  the reference cross-entropy (the formula to read) and the fast kernel
``core.information``            surprise, entropy, cross-entropy between distributions, KL divergence
``core.units``                  nats and bits
``core.curves``                 the −log p and binary cross-entropy curves the pages draw
``core.bands``                  the confidence bands of p (confidently wrong … confidently right)
``core.multiclass``             one sample's softmax cross-entropy, class by class (T, label smoothing)
``core.proportions``            slider weights as probabilities that sum to 1
``core.comparison``             the Loss comparison curves, the imbalance demo, the smoothing floor
``core.pitfalls``               the fragile ways to compute a loss, and what they return
``core.jacobians``              the softmax chain rule, the vectorized identities, a one-layer network
``core.mlp``                    a feed-forward network with hand-written backpropagation
``core.minibatch``              per-example gradients, where the 1/B goes, the spread of batch gradients
``core.train``                  mini-batch SGD with momentum, training runs, decision regions
``core.data``                   the 2-D toy data sets and the 8×8 digits
``core.gradcheck``              finite differences: the independent check of every gradient
``core.simplex``                the three-class probability simplex: surfaces, descent and T paths
``core.calibration``            reliability diagrams, ECE, NLL, Brier score, temperature scaling
``core.charlm``                 character-level language models and their bits per character
``core.charnet``                the neural character model (an embedding and an MLP) and its training
``core.predictions``            a visitor's own predictions: reading a CSV of labels and scores
``core.prediction_scores``      their loss, per class and per example, the H(P̂, Q̄) split, reliability
``core.defaults``               every page's default settings, defined once
``core.formatting``             numbers as text (true minus, powers of ten, percentages)
``core.figures``                the Plotly figure builders, one module per topic (see its docstring)
==============================  ==========================================================================
"""
