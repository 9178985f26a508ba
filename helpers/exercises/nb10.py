"""Exercises of notebook 10 (see ``helpers.exercises``)."""

import numpy as np

from ..applications import (
    forecast_recursive,
    sample_next,
    seasonal_naive_forecast,
    softmax_temperature,
)
from ..checking import FAILED, NOT_ATTEMPTED, PASSED, CheckResult
from .core import Exercise, register

# ---------------------------------------------------------------- seasonal naive


def _seasonal_cases():
    t = np.arange(40, dtype=float)
    wave = 10 + 0.3 * t + np.sin(2 * np.pi * t / 12)
    return [
        ("a 40-month series with a trend and a 12-month season, start=30", (wave, 30, 12)),
        ("the same series, start at the earliest possible month (start=12)", (wave, 12, 12)),
        ("a short series with period 4, start=6", (np.array([1.0, 2, 3, 4, 5, 6, 7, 8, 9]), 6, 4)),
        (
            "period 1 (then it is the last-value forecast), start=1",
            (np.array([3.0, 1.0, 4.0, 1.0, 5.0]), 1, 1),
        ),
        ("a single forecast: start = N - 1", (wave, 39, 12)),
    ]


def _seasonal_in_place(series, start, period):
    out = series[start - period : len(series) - period].copy()
    series[:] = 0  # changes the caller's array
    return out


# ---------------------------------------------------------------- softmax with a temperature


def _temperature_cases():
    logits = np.array([[2.0, 1.0, 0.5, -1.0], [0.0, 3.0, 3.0, -2.0]])
    return [
        ("τ = 1 (the model's own distribution)", (logits, 1.0)),
        ("τ = 0.5 (sharper)", (logits, 0.5)),
        ("τ = 4 (flatter)", (logits, 4.0)),
        ("τ = 0 (greedy: all mass on the largest logit, the first one on a tie)", (logits, 0.0)),
        (
            "τ = 1e-3 with logits near 800 (exp(800 / 1e-3) overflows unless a maximum is subtracted)",
            (np.array([[800.0, 799.999, -50.0]]), 1e-3),
        ),
        (
            "a batch mixing a row near 800 with a row near 0, τ = 1",
            (np.array([[800.0, 799.0, 798.0], [1.0, 0.0, 1.0]]), 1.0),
        ),
        ("a single row of logits, shape (V,)", (np.array([0.3, -0.2, 1.5]), 2.0)),
    ]


def _normalise(e, axis=-1):
    return e / e.sum(axis=axis, keepdims=True)


def _temperature_no_shift(logits, tau):
    if tau == 0:
        return np.eye(logits.shape[-1])[np.argmax(logits, axis=-1)]
    return _normalise(np.exp(logits / tau))


def _temperature_multiplies(logits, tau):
    return _normalise(np.exp((logits - logits.max(axis=-1, keepdims=True)) * tau))


def _temperature_no_greedy(logits, tau):
    return _normalise(np.exp((logits - logits.max(axis=-1, keepdims=True)) / tau))


def _temperature_one_max(logits, tau):
    if tau == 0:
        return np.eye(logits.shape[-1])[np.argmax(logits, axis=-1)]
    return _normalise(np.exp((logits - logits.max()) / tau))


def _temperature_clamped(logits, tau):  # tau = 0 replaced by a tiny one: ties split the mass
    return _temperature_no_greedy(logits, max(tau, 1e-8))


# ---------------------------------------------------------------- sampling with a temperature

_DRAWS = 20_000  # rows per distinct distribution: frequencies within about ±0.0035 of p


def _sample_cases():
    y = np.array([[0.5, 2.0, 1.0, -1.0]])
    return [
        ("τ = 1, four logits (the largest is not the first)", y, 1.0),
        ("τ = 0.5 (sharper)", y, 0.5),
        ("τ = 2 (flatter)", y, 2.0),
        ("two different rows in one batch, τ = 1", np.array([[0.5, 2.0, 1.0, -1.0], [1.0, 1.0, 1.0, 1.0]]), 1.0),
        ("an entry of -inf (masked) is never drawn", np.array([[-np.inf, 1.0, 0.0, 1.0]]), 1.0),
        ("logits near 800, τ = 1 (exp(800) overflows)", np.array([[800.0, 799.0, 0.0]]), 1.0),
        ("τ = 0.01 with logits near 10 (y / τ = 1000: exp overflows)", np.array([[10.0, 9.99, 0.0]]), 0.01),
        ("τ = 0: the argmax, the first one on a tie", np.array([[1.0, 3.0, 3.0, 0.0]]), 0.0),
    ]  # fmt: skip


def _check_sample_next(learner) -> CheckResult:
    """Draw many times from each case's distribution and compare the frequencies
    with softmax(logits / τ); τ = 0 must give the argmax every time. Also: one
    integer index per row, the logits unchanged, the given Generator used."""
    name, messages = "sample_next", []

    def call(logits, tau, seed):
        given = logits.copy()
        with np.errstate(all="ignore"):
            got = learner(given, tau, np.random.default_rng(seed))
        if not np.array_equal(given, logits):
            raise AssertionError("your function changed the logits in place; work on a copy")
        got = np.asarray(got)
        if got.shape != (len(logits),):
            raise AssertionError(
                f"expected shape ({len(logits)},): one index per row, got {got.shape}"
            )
        if got.dtype.kind not in "iu":
            raise AssertionError(f"expected integer indices, got dtype {got.dtype}")
        if got.min() < 0 or got.max() >= logits.shape[1]:
            raise AssertionError(
                f"indices must lie in [0, {logits.shape[1] - 1}], got {got.min()}..{got.max()}"
            )
        return got

    for description, logits, tau in _sample_cases():
        try:
            got = call(np.repeat(logits, _DRAWS, axis=0), tau, 0)
        except NotImplementedError:
            return CheckResult(name, NOT_ATTEMPTED, [f"{name}: not attempted yet."])
        except Exception as exc:  # noqa: BLE001 - a learner's error is a verdict, not a crash
            messages.append(f"✗ {description}: raised {type(exc).__name__}: {exc}")
            continue
        p = softmax_temperature(logits, tau)
        problems = []
        for r, row in enumerate(got.reshape(len(logits), _DRAWS)):
            freq = np.bincount(row, minlength=logits.shape[1]) / _DRAWS
            tol = 4.5 * np.sqrt(p[r] * (1 - p[r]) / _DRAWS) + 1e-12  # zero for p = 0 and p = 1
            bad = np.abs(freq - p[r]) > tol
            if np.any(bad):
                problems.append(
                    f"row {r}: drew the indices with frequencies {np.round(freq, 3).tolist()}, "
                    f"expected about {np.round(p[r], 3).tolist()}"
                )
                if tau not in (0.0, 1.0) and np.allclose(
                    freq, softmax_temperature(logits[r] * tau**2, tau), atol=0.02
                ):
                    problems.append("that is softmax(y · τ): divide by τ, do not multiply")
        messages.append(
            f"✗ {description}: " + "; ".join(problems) if problems else f"✓ {description}"
        )

    description = "the draws come from the Generator passed in (same seed, same indices; another seed, others)"
    try:
        y = np.repeat(np.array([[0.5, 2.0, 1.0, -1.0]]), 200, axis=0)
        a, b, c = call(y, 1.0, 7), call(y, 1.0, 7), call(y, 1.0, 8)
        if not np.array_equal(a, b):
            problem = "the same seed gave other indices: draw with rng.random(...) or rng.choice(...), not np.random"
        elif len(set(a.tolist())) == 1:
            problem = (
                "all 200 rows drew the same index: one uniform for the whole batch? "
                "draw one per row, u = rng.random(B)"
            )
        elif np.array_equal(a, c):
            problem = "another seed gave the same indices: the draws do not come from rng"
        else:
            problem = None
        messages.append(f"✗ {description}: {problem}" if problem else f"✓ {description}")
    except Exception as exc:  # noqa: BLE001
        messages.append(f"✗ {description}: raised {type(exc).__name__}: {exc}")
    status = PASSED if all(m.startswith("✓") for m in messages) else FAILED
    return CheckResult(name, status, messages)


def _inverse_cdf(probs, rng):
    cdf = np.cumsum(probs, axis=-1)
    return (cdf <= rng.random(len(probs))[:, None]).sum(axis=-1)


def _sample_multiplies(logits, tau, rng):
    return _inverse_cdf(
        _normalise(np.exp((logits - logits.max(axis=-1, keepdims=True)) * tau)), rng
    )


def _sample_no_shift(logits, tau, rng):
    if tau == 0:
        return np.argmax(logits, axis=-1)
    return _inverse_cdf(_normalise(np.exp(logits / tau)), rng)


def _sample_unnormalised(logits, tau, rng):
    if tau == 0:
        return np.argmax(logits, axis=-1)
    return _inverse_cdf(np.exp((logits - logits.max(axis=-1, keepdims=True)) / tau), rng)


def _sample_no_greedy(logits, tau, rng):
    return _inverse_cdf(
        _normalise(np.exp((logits - logits.max(axis=-1, keepdims=True)) / tau)), rng
    )


def _sample_one_uniform(logits, tau, rng):
    cdf = np.cumsum(softmax_temperature(logits, tau), axis=-1)
    return (cdf <= rng.random()).sum(axis=-1)  # one u shared by every row


def _sample_global_rng(logits, tau, rng):
    probs = softmax_temperature(logits, tau)
    cdf = np.cumsum(probs, axis=-1)
    return (cdf <= np.random.random(len(probs))[:, None]).sum(axis=-1)  # noqa: NPY002 - the mistake


# ---------------------------------------------------------------- the recursive forecast


def _linear_next(windows):  # weighs the oldest value most: catches a window slid the wrong way
    return windows @ np.linspace(0.6, 0.1, windows.shape[1])


def _recursive_cases():
    return [
        ("x̂ = last value + 1, one series (B = 1), L = 3, K = 5", (lambda w: w[:, -1] + 1, np.array([[1.0, 2.0, 3.0]]), 5)),
        ("x̂ = sum of the window (Fibonacci-like), B = 2, L = 2, K = 6", (lambda w: w.sum(axis=1), np.array([[1.0, 1.0], [0.0, 2.0]]), 6)),
        ("a linear forecaster that weighs the oldest value most, B = 3, L = 4, K = 7", (_linear_next, np.arange(12.0).reshape(3, 4) / 10, 7)),
        ("K = 1: just the one-step forecast", (_linear_next, np.array([[2.0, -1.0, 0.5, 3.0]]), 1)),
        ("seasonal naive (x̂ = the value 12 months back), L = 12, K = 30", (lambda w: w[:, -12], np.stack([np.arange(12.0), 100 - np.arange(12.0)]), 30)),
    ]  # fmt: skip


def _recursive_no_feedback(predict_next, history, K):
    return np.repeat(predict_next(history)[:, None], K, axis=1)


def _recursive_off_by_one(predict_next, history, K):
    window, out = history.copy(), np.empty((history.shape[0], K))
    for k in range(K):
        out[:, k] = window[:, -1]  # records the previous value, not the new prediction
        window = np.concatenate([window[:, 1:], predict_next(window)[:, None]], axis=1)
    return out


def _recursive_drops_newest(predict_next, history, K):
    window, out = history.copy(), np.empty((history.shape[0], K))
    for k in range(K):
        out[:, k] = predict_next(window)
        window = np.concatenate([window[:, :-1], out[:, k : k + 1]], axis=1)
    return out


def _recursive_grows(predict_next, history, K):
    window, out = history.copy(), np.empty((history.shape[0], K))
    for k in range(K):
        out[:, k] = predict_next(window)
        window = np.concatenate([window, out[:, k : k + 1]], axis=1)  # never drops the oldest
    return out


register(
    Exercise(
        "10-seasonal-naive",
        "the seasonal naive forecast",
        reference=seasonal_naive_forecast,
        cases=_seasonal_cases,
        hints=[
            "The forecast for month t is the value one period earlier, x_{t − period}; "
            "list which indices you need for t = start, …, N − 1.",
            "Those are start − period, …, N − 1 − period: consecutive indices, so one slice of "
            "the series (no loop), N − start values. Where does it end, exclusive?",
            "return series[start - period : len(series) - period].copy() (a copy: the caller's "
            "series must not change when the forecast does).",
        ],
        mistakes=[
            (
                "off by one: the value period − 1 months back",
                lambda s, start, p: s[start - p + 1 : len(s) - p + 1],
            ),
            (
                "the last value x_{t−1} instead of x_{t−period}",
                lambda s, start, p: s[start - 1 : -1],
            ),
            ("changes the series in place", _seasonal_in_place),
        ],  # fmt: skip
    ),
    Exercise(
        "10-forecast-recursive",
        "many steps ahead: feed each prediction back in",
        reference=forecast_recursive,
        cases=_recursive_cases,
        hints=[
            "Keep a working copy of the window (B, L). At each of the K steps: predict, "
            "store the prediction, then update the window.",
            "The update drops the oldest value and appends the new prediction as the newest: "
            "window = np.concatenate([window[:, 1:], pred[:, None]], axis=1).",
            "forecast = np.empty((B, K)); for k in range(K): forecast[:, k] = predict_next(window); "
            "then slide the window with forecast[:, k:k+1] appended.",
        ],
        mistakes=[
            ("no feedback: every step predicts from the original history", _recursive_no_feedback),
            (
                "off by one: stores the window's last value (the previous step) instead of the new prediction",
                _recursive_off_by_one,
            ),
            (
                "slides the wrong way: drops the newest value instead of the oldest",
                _recursive_drops_newest,
            ),
            (
                "the window grows: appends the prediction but never drops the oldest value",
                _recursive_grows,
            ),
        ],  # fmt: skip
    ),
    Exercise(
        "10-softmax-temperature",
        "softmax with a temperature, from τ = 0 to large logits",
        reference=softmax_temperature,
        cases=_temperature_cases,
        hints=[
            "Two parts: τ = 0 is its own case (the limit τ → 0 puts all mass on the largest "
            "logit), any other τ is the usual stable softmax of y / τ.",
            "The rows are the last axis (axis=-1, keepdims=True). τ = 0: a one-hot at the "
            "argmax, np.eye(V)[np.argmax(logits, axis=-1)] (np.argmax takes the first on a tie). "
            "Stable: subtract each row's maximum before dividing by τ, so every exponent is <= 0 "
            "and even y / τ = inf cannot occur.",
            "if tau == 0: return np.eye(V)[np.argmax(logits, axis=-1)]; "
            "e = np.exp((logits - logits.max(axis=-1, keepdims=True)) / tau); "
            "return e / e.sum(axis=-1, keepdims=True)",
        ],
        mistakes=[
            (
                "no maximum subtracted: exp(y / τ) overflows for large logits or small τ",
                _temperature_no_shift,
            ),
            ("multiplies by τ instead of dividing", _temperature_multiplies),
            ("no greedy case: τ = 0 divides by zero (NaN)", _temperature_no_greedy),
            (
                "one maximum for the whole batch: a row far below it underflows to 0 / 0",
                _temperature_one_max,
            ),
            (
                "τ = 0 replaced by a tiny τ: tied largest logits share the mass; greedy takes "
                "the first of them (np.argmax)",
                _temperature_clamped,
            ),
        ],
    ),
    Exercise(
        "10-sample-next",
        "sampling the next character with a temperature",
        reference=sample_next,
        checker=_check_sample_next,
        hints=[
            "First the probabilities: softmax_temperature(logits, tau) (yours or the helper's), "
            "shape (B, V). Then one draw per row, made by rng.",
            "Inverse CDF: c = np.cumsum(p, axis=-1) and u = rng.random(B); the drawn index is the "
            "first i with c[i] > u, i.e. the number of entries with c <= u.",
            "return (np.cumsum(p, axis=-1) <= rng.random(len(p))[:, None]).sum(axis=-1). At τ = 0 "
            "p is one-hot, so this returns the argmax by itself.",
        ],
        mistakes=[
            ("multiplies by τ instead of dividing", _sample_multiplies),
            ("no maximum subtracted: exp overflows to inf, NaN probabilities", _sample_no_shift),
            (
                "samples from unnormalised scores exp(y / τ) (the cumulative sum does not end at 1)",
                _sample_unnormalised,
            ),
            ("no greedy case: τ = 0 divides by zero", _sample_no_greedy),
            (
                "ignores the Generator passed in (np.random): draws cannot be reproduced",
                _sample_global_rng,
            ),
            (
                "one uniform for the whole batch: every row draws the same index",
                _sample_one_uniform,
            ),
        ],  # fmt: skip
    ),
)

register(
    Exercise(
        "10-think-levels",
        "why the forecaster reads changes, not levels",
        answer="""
        A network only learns the mapping on the inputs it was trained on. In
        levels, every training window lies between about 315 and 362 ppm, and
        every window of the test tail lies above that range: the GRU is asked
        to extrapolate. Its state is squashed by tanh and the gates by sigmoids,
        so inputs beyond the training range mostly push the units further into
        saturation; the output layer then produces values near the top of what
        it saw in training. A tiny training loss says nothing about that range,
        so expect forecasts that fall short of the tail, by more the further the
        series climbs. Fed *changes* relative to the window's last value, the
        tail's windows look like the training windows (the same yearly wiggle
        around 0), and the level is added back at the end. (Standardising the
        levels would not help: it rescales the range but the tail stays outside it.)
        """,
        hints=[
            "Compare the range of the training windows' values with the range of the test tail's."
        ],
    ),
    Exercise(
        "10-think-seasonal",
        "why the seasonal naive forecast drifts and the seasonal difference does not",
        answer="""
        Fed its own predictions, the seasonal naive forecast x̂_{t+k} = x_{t+k−12}
        repeats the last measured year over and over: the forecast for year 2
        copies year 1, which is itself a copy of the last measured year. CO₂
        rises by about a year's growth (printed in section 3) each year, so each
        year further ahead the forecast misses one more year of growth: the error
        grows linearly with the horizon. The seasonal difference
        x̂_{t+1} = x_t + (x_{t−11} − x_{t−12}) repeats the last year's
        *month-to-month changes*: its forecast climbs by the last measured year's
        growth every year. Its error grows only by the difference between the
        actual growth and that one year's growth — small when growth is steady,
        larger after an unusual year (the El Niño start of section 5).
        """,
        hints=[
            "Write out the forecast 13 and 25 months ahead for each method in terms of measured values."
        ],
    ),
    Exercise(
        "10-think-greedy",
        "is greedy decoding the most likely name?",
        answer="""
        No. Greedy maximises each factor P(c_t | c_<t) in turn, not the product.
        A counter-example with the alphabet {a, b} and names of exactly two letters:
        P(c₁ = a) = 0.6, P(c₁ = b) = 0.4; after a, P(a) = P(b) = 0.5; after b,
        P(a) = 0.9, P(b) = 0.1. Greedy takes a (0.6), then a or b (0.5): a name of
        probability 0.6 · 0.5 = 0.30. But "ba" has probability 0.4 · 0.9 = 0.36.
        The first choice looked best locally but left only uncertain continuations.
        Beam search keeps the k best prefixes at each step (here k = 2 finds "ba");
        exact search over all names grows as V^n, so in practice one uses beams.
        """,
        hints=["Make the first letter's best choice lead to a step where the model is unsure."],
    ),
)
