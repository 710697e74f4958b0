"""The neural character model: its gradients (embedding included) against finite differences and torch,
its training against torch's SGD, determinism, and what the shipped networks learn."""

import math

import numpy as np
import pytest

from core.charlm import bigram_model, contexts, encode, load_corpus, scores
from core.charnet import CharMLP, train_char_mlp, trained_network
from core.gradcheck import gradcheck
from core.losses import cross_entropy

LN27 = math.log(27)
CORPUS = load_corpus()


def _net_and_batch(context=3, dtype=np.float64):
    net = CharMLP(context, embed_dim=4, hidden=5, seed=3, dtype=dtype)
    rng = np.random.default_rng(0)
    for p in net.params.values():
        p += rng.normal(0, 0.3, size=p.shape).astype(p.dtype)  # non-zero biases
    text = encode("aaa abba a zoo")  # repeated characters: several uses of one embedding row per batch
    return net, contexts(text, context), text


def _loss_with(net, name, values, ctx, target):
    trial = net.copy()
    trial.params[name][...] = values
    return float(cross_entropy(trial.logits(ctx), target))


@pytest.mark.parametrize("context", [1, 3])
def test_every_gradient_including_the_embedding_matches_finite_differences(context):
    net, ctx, target = _net_and_batch(context)
    loss, grads = net.loss_and_grads(ctx, target)
    assert loss == pytest.approx(float(cross_entropy(net.logits(ctx), target)), rel=1e-14)
    for name, param in net.params.items():
        error = gradcheck(
            lambda v, n=name: _loss_with(net, n, v, ctx, target), lambda _, n=name: grads[n], param
        )
        assert error < 1e-7, name


def test_the_embedding_gradient_adds_every_use_of_a_character():
    net, ctx, target = _net_and_batch(3)
    _, grads = net.loss_and_grads(ctx, target)
    unused = sorted(set(range(27)) - set(ctx.ravel().tolist()))
    assert unused
    assert np.all(grads["E"][unused] == 0)
    # the sum over characters of dL/dE is the sum over all positions of dL/dX: nothing lost, nothing doubled
    d_inputs = net.mlp.deltas[1] @ net.mlp.params["W1"].T
    np.testing.assert_allclose(grads["E"].sum(axis=0), d_inputs.reshape(-1, 4).sum(axis=0), atol=1e-14)


@pytest.mark.torch
def test_every_gradient_including_the_embedding_matches_torch():
    torch = pytest.importorskip("torch")
    net, ctx, target = _net_and_batch(3)
    loss, grads = net.loss_and_grads(ctx, target)
    t = {name: torch.tensor(p, requires_grad=True) for name, p in net.params.items()}
    x = torch.nn.functional.embedding(torch.tensor(ctx), t["E"]).reshape(len(target), -1)
    logits = torch.tanh(x @ t["W1"] + t["b1"]) @ t["W2"] + t["b2"]
    torch_loss = torch.nn.functional.cross_entropy(logits, torch.tensor(target))
    torch_loss.backward()
    assert loss == pytest.approx(torch_loss.item(), rel=1e-12)
    for name in net.params:
        np.testing.assert_allclose(grads[name], t[name].grad.numpy(), rtol=1e-10, atol=1e-12, err_msg=name)


@pytest.mark.torch
def test_training_takes_torch_sgd_momentum_steps_on_the_same_batches():
    torch = pytest.importorskip("torch")
    ids = CORPUS.train_ids[:400]
    steps, batch, lr, momentum = 8, 16, 0.1, 0.9
    run = train_char_mlp(
        ids, context=2, embed_dim=3, hidden=6, steps=steps, batch_size=batch, lr=lr, seed=5, dtype=np.float64
    )
    start = CharMLP(2, 3, 6, seed=5)
    t = {name: torch.tensor(p, requires_grad=True) for name, p in start.params.items()}
    optimiser = torch.optim.SGD(list(t.values()), lr=lr, momentum=momentum)
    rng = np.random.default_rng([5, 2])  # the batches train_char_mlp draws
    ctx_all = contexts(ids, 2)
    for step in range(steps):
        for group in optimiser.param_groups:
            group["lr"] = lr if step < (3 * steps) // 4 else lr / 10
        rows = rng.integers(0, ids.size, size=batch)
        x = torch.nn.functional.embedding(torch.tensor(ctx_all[rows]), t["E"]).reshape(batch, -1)
        logits = torch.tanh(x @ t["W1"] + t["b1"]) @ t["W2"] + t["b2"]
        optimiser.zero_grad()
        torch.nn.functional.cross_entropy(logits, torch.tensor(ids[rows])).backward()
        optimiser.step()
    for name, p in run.model.params.items():
        np.testing.assert_allclose(p, t[name].detach().numpy(), rtol=1e-10, atol=1e-12, err_msg=name)


def test_float32_network_keeps_its_dtype():
    net, ctx, target = _net_and_batch(2, dtype=np.float32)
    _, grads = net.loss_and_grads(ctx, target)
    assert all(g.dtype == np.float32 for g in grads.values())
    assert net.next_log_probs(ctx).dtype == np.float32


def test_network_rejects_bad_settings_and_contexts():
    with pytest.raises(ValueError, match=r"context must be an integer in \[1, 8\]; got 9"):
        CharMLP(context=9)
    net = CharMLP(context=2)
    with pytest.raises(ValueError, match=r"shape \(n, 2\)"):
        net.logits(np.zeros((4, 3), dtype=int))
    with pytest.raises(ValueError, match=r"character indices in \[0, 27\); got 27"):
        net.logits(np.full((1, 2), 27))


def test_training_is_deterministic_and_lowers_both_curves():
    kwargs = {"context": 2, "hidden": 16, "steps": 300, "eval_every": 100}
    held = CORPUS.held_out_ids
    first = train_char_mlp(CORPUS.train_ids, held, **kwargs)
    again = train_char_mlp(CORPUS.train_ids, held, **kwargs)
    other = train_char_mlp(CORPUS.train_ids, held, **kwargs, seed=1)
    for name, p in first.model.params.items():
        np.testing.assert_array_equal(p, again.model.params[name])
    assert not np.array_equal(first.model.E, other.model.E)
    assert first.steps.tolist() == [0, 100, 200, 300]
    assert first.train_nats[0] == pytest.approx(LN27, abs=0.3)
    assert first.train_nats[-1] < first.train_nats[0] - 0.5
    assert first.held_out_nats[-1] < first.held_out_nats[0] - 0.5
    assert first.train_nats[-1] == pytest.approx(scores(first.model, CORPUS.train_ids).nats, rel=1e-12)


@pytest.mark.parametrize("lr", [1e30, 1e308])
def test_training_too_fast_diverges_with_a_clear_message(lr):
    with pytest.raises(ValueError, match=r"training diverged at step \d+.*; lower lr \(got 1e\+"):
        train_char_mlp(CORPUS.train_ids[:500], context=1, hidden=8, steps=200, lr=lr)


def test_the_shipped_network_beats_the_bigram_and_with_one_character_cannot_beat_its_counts():
    held, train = CORPUS.held_out_ids, CORPUS.train_ids
    bigram_held = scores(bigram_model(train, 1.0), held).bits
    three = trained_network(context=3)
    assert three is trained_network(context=3)  # trained once per process, then shared
    assert scores(three.model, held).bits < bigram_held - 0.5
    one = trained_network(context=1)
    # with one character of context the best a model can do on its training text is the raw pair counts
    best_pairs = scores(bigram_model(train, 1e-12), train).nats
    assert one.train_nats[-1] >= best_pairs - 1e-9
    assert abs(scores(one.model, held).bits - bigram_held) < 0.1


def test_more_context_and_more_units_widen_the_gap_between_training_and_held_out_text():
    # what the page's sentence under the learning curve says
    def gap(context, hidden):
        run = trained_network(context, hidden)
        return run.held_out_nats[-1] - run.train_nats[-1]

    gaps = [gap(context, 64) for context in (1, 3, 5)]
    assert gaps[0] < gaps[1] < gaps[2]
    assert gap(3, 16) < gap(3, 64) < gap(3, 128)
    assert all(g > 0 for g in gaps)


def test_an_untrained_network_is_exactly_the_uniform_model():
    net = CharMLP(context=4, hidden=32, seed=7)
    assert np.all(net.mlp.params["W2"] == 0)
    log_q = net.next_log_probs(contexts(CORPUS.held_out_ids[:50], 4))
    np.testing.assert_allclose(log_q, -LN27, rtol=1e-14)
