"""The Cross-Entropy Explorer's numerics: every number the app shows is computed here.

Pure numpy, float64 by default, the caller's float dtype kept, stable from logits.  Losses and their
gradients follow PyTorch's semantics (``torch.nn.functional``) and are tested against it.  Nothing in
this package imports streamlit; only :mod:`core.figures` imports plotly.
"""

from core.functional import log_sigmoid, log_softmax, logsumexp, sigmoid, softmax, softmax_jacobian
from core.gradcheck import gradcheck, numerical_gradient, numerical_jacobian
from core.information import cross_entropy_between, entropy, kl_divergence, surprise
from core.losses import (
    binary_cross_entropy,
    binary_cross_entropy_grad,
    binary_cross_entropy_with_logits,
    binary_cross_entropy_with_logits_grad,
    cross_entropy,
    cross_entropy_grad,
    focal_loss,
    focal_loss_grad,
    loss_and_grad,
    mse_loss,
    mse_loss_grad,
    multi_margin_loss,
    multi_margin_loss_grad,
    one_hot,
    sigmoid_focal_loss,
    sigmoid_focal_loss_grad,
    softmax_mse_loss,
    softmax_mse_loss_grad,
)

__all__ = [
    "binary_cross_entropy",
    "binary_cross_entropy_grad",
    "binary_cross_entropy_with_logits",
    "binary_cross_entropy_with_logits_grad",
    "cross_entropy",
    "cross_entropy_between",
    "cross_entropy_grad",
    "entropy",
    "focal_loss",
    "focal_loss_grad",
    "gradcheck",
    "kl_divergence",
    "log_sigmoid",
    "log_softmax",
    "logsumexp",
    "loss_and_grad",
    "mse_loss",
    "mse_loss_grad",
    "multi_margin_loss",
    "multi_margin_loss_grad",
    "numerical_gradient",
    "numerical_jacobian",
    "one_hot",
    "sigmoid",
    "sigmoid_focal_loss",
    "sigmoid_focal_loss_grad",
    "softmax",
    "softmax_jacobian",
    "softmax_mse_loss",
    "softmax_mse_loss_grad",
    "surprise",
]
