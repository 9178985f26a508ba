"""helpers.applications: windows, baselines, the GRU forecaster and its
feed-back loop, the conditional name generator and temperature sampling."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch

from helpers.activations import softmax
from helpers.applications import (
    MARK,
    UNK,
    GRUForecaster,
    NameGenerator,
    bigram_nll,
    build_char_vocab,
    encode_names,
    forecast_recursive,
    gru_predict,
    last_value_forecast,
    load_co2,
    mae,
    make_windows,
    name_nll,
    rmse,
    sample_names,
    sample_next,
    seasonal_difference_forecast,
    seasonal_naive_forecast,
    softmax_temperature,
    train_forecaster,
    train_name_generator,
)

torch.set_num_threads(1)


# ---------------------------------------------------------------- data and windows


def test_co2_csv_is_complete_and_plausible():
    months, co2 = load_co2()
    assert len(months) == len(co2) == 526
    assert months[0] == "1958-03" and months[-1] == "2001-12"
    years = [int(m[:4]) + int(m[5:]) / 12 for m in months]
    assert np.allclose(np.diff(years), 1 / 12), "one row per month, no month missing"
    assert np.all(np.isfinite(co2)) and 310 < co2.min() and co2.max() < 380
    assert co2[-12:].mean() - co2[:12].mean() > 50  # the trend


def test_load_co2_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="no file"):
        load_co2(tmp_path / "nope.csv")


def test_windows_shapes_and_content():
    series = np.arange(10.0) ** 2
    X, y = make_windows(series, 3)
    assert X.shape == (7, 3) and y.shape == (7,)
    for i in range(7):
        np.testing.assert_array_equal(X[i], series[i : i + 3])
        assert y[i] == series[i + 3]
    X[0, 0] = -1  # a copy, not a view of the series
    assert series[0] == 0


@pytest.mark.parametrize("L", [0, 10, 11, 2.5])
def test_windows_bad_window(L):
    with pytest.raises((ValueError, TypeError), match="window length"):
        make_windows(np.arange(10.0), L)


def test_windows_bad_series():
    with pytest.raises(ValueError, match="series: expected 1 dimensions"):
        make_windows(np.zeros((4, 3)), 2)
    with pytest.raises(TypeError, match="floating-point"):
        make_windows(np.arange(10), 2)


# ---------------------------------------------------------------- baselines


def test_baselines_on_a_known_series():
    t = np.arange(48.0)
    trend = 2.0 * t  # rises by 2 a month, 24 a year
    season = np.sin(2 * np.pi * t / 12)
    start = 36
    assert mae(last_value_forecast(trend, start), trend[start:]) == pytest.approx(2.0)
    assert mae(seasonal_naive_forecast(trend, start, 12), trend[start:]) == pytest.approx(24.0)
    assert mae(seasonal_naive_forecast(season, start, 12), season[start:]) == pytest.approx(
        0.0, abs=1e-12
    )
    np.testing.assert_array_equal(last_value_forecast(trend, start), trend[start - 1 : -1])
    np.testing.assert_array_equal(seasonal_naive_forecast(trend, start, 12), trend[24:36])
    # period 1 is the last-value forecast
    np.testing.assert_array_equal(
        seasonal_naive_forecast(trend, start, 1), last_value_forecast(trend, start)
    )


def test_baseline_errors_on_co2_tail():
    _, co2 = load_co2()
    start = len(co2) - 60
    truth = co2[start:]
    assert round(mae(last_value_forecast(co2, start), truth), 2) == 1.11
    assert round(mae(seasonal_naive_forecast(co2, start), truth), 2) == 1.65
    assert round(mae(seasonal_difference_forecast(co2, start), truth), 2) == 0.34


def test_seasonal_difference_is_exact_on_trend_plus_season():
    t = np.arange(60.0)
    series = 0.5 * t + np.sin(2 * np.pi * t / 12) + 3.0  # a straight trend plus a 12-month cycle
    np.testing.assert_allclose(seasonal_difference_forecast(series, 13), series[13:], atol=1e-12)
    with pytest.raises(ValueError, match="start"):
        seasonal_difference_forecast(series, 12)  # needs series[start - 13]


def test_mae_rmse_values_and_errors():
    pred, target = np.array([1.0, 2.0, 3.0]), np.array([1.0, 4.0, 0.0])
    assert mae(pred, target) == pytest.approx(5 / 3)
    assert rmse(pred, target) == pytest.approx(np.sqrt(13 / 3))
    with pytest.raises(ValueError, match="target: expected shape"):
        mae(pred, np.zeros(4))


def test_baselines_bad_inputs():
    with pytest.raises(ValueError, match="start"):
        seasonal_naive_forecast(np.arange(20.0), 5, 12)  # start < period
    with pytest.raises(ValueError, match="start"):
        last_value_forecast(np.arange(20.0), 0)
    with pytest.raises(ValueError, match="period"):
        seasonal_naive_forecast(np.arange(20.0), 15, 0)


# ---------------------------------------------------------------- GRU forecaster


def _sine_windows():
    t = np.arange(200.0)
    series = 0.05 * t + np.sin(2 * np.pi * t / 12)
    return make_windows(series, 24)


def test_forecaster_sees_only_changes():
    torch.manual_seed(0)
    model = GRUForecaster(hidden_size=8, scale=1.5)
    X, _ = _sine_windows()
    shifted = gru_predict(model, X + 100.0) - 100.0
    np.testing.assert_allclose(shifted, gru_predict(model, X), atol=1e-4)


def test_train_forecaster_learns_and_is_deterministic():
    X, y = _sine_windows()
    runs = []
    for _ in range(2):
        torch.manual_seed(0)
        model = GRUForecaster(hidden_size=8, scale=1.0)
        losses = train_forecaster(model, X, y, epochs=15, batch_size=64, lr=1e-2, seed=0)
        runs.append((losses, gru_predict(model, X[:5])))
    assert runs[0][0] == runs[1][0]
    np.testing.assert_array_equal(runs[0][1], runs[1][1])
    assert runs[0][0][-1] < 0.5 * runs[0][0][0]


def test_train_forecaster_bad_inputs():
    model = GRUForecaster(4)
    X, y = _sine_windows()
    with pytest.raises(ValueError, match="y: expected shape"):
        train_forecaster(model, X, y[:-1])
    with pytest.raises(ValueError, match="epochs"):
        train_forecaster(model, X, y, epochs=0)
    with pytest.raises(ValueError, match="scale"):
        GRUForecaster(4, scale=0.0)


# ---------------------------------------------------------------- feeding predictions back in


def test_recursive_feeds_predictions_back():
    history = np.array([[1.0, 2.0, 3.0]])
    out = forecast_recursive(lambda w: w[:, -1] + 1, history, 5)
    np.testing.assert_array_equal(out, [[4.0, 5.0, 6.0, 7.0, 8.0]])
    np.testing.assert_array_equal(history, [[1.0, 2.0, 3.0]])  # not modified


def test_recursive_sees_its_own_predictions():
    seen = []

    def predict(w):
        seen.append(w.copy())
        return w.sum(axis=1)

    out = forecast_recursive(predict, np.array([[1.0, 1.0]]), 3)
    np.testing.assert_array_equal(out, [[2.0, 3.0, 5.0]])  # Fibonacci from the window
    np.testing.assert_array_equal(seen[2], [[2.0, 3.0]])  # only predictions after 2 steps


def test_recursive_seasonal_naive_repeats_last_period_batched():
    history = np.stack([np.arange(12.0), 100 + np.arange(12.0)])
    out = forecast_recursive(lambda w: w[:, -12], history, 30)
    assert out.shape == (2, 30)
    np.testing.assert_array_equal(out[:, :12], history)
    np.testing.assert_array_equal(out[:, 12:24], history)


def test_recursive_one_step_is_the_one_step_forecast():
    torch.manual_seed(0)
    model = GRUForecaster(hidden_size=8)
    X, _ = _sine_windows()
    first = forecast_recursive(lambda w: gru_predict(model, w), X[:4], 1)
    np.testing.assert_allclose(first[:, 0], gru_predict(model, X[:4]))


def test_recursive_bad_inputs():
    with pytest.raises(ValueError, match="horizon"):
        forecast_recursive(lambda w: w[:, -1], np.ones((1, 3)), 0)
    with pytest.raises(ValueError, match="history: expected 2 dimensions"):
        forecast_recursive(lambda w: w[:, -1], np.ones(3), 2)


# ---------------------------------------------------------------- names: vocabulary, batches

NAMES = ["Nowak", "Kowalski", "Rossi", "Bianchi", "Smith", "Jones", "Nowicki", "Russo"]
LANGS = [0, 0, 1, 1, 2, 2, 0, 1]


def test_vocab_and_encoding():
    vocab = build_char_vocab(NAMES)
    assert vocab[:2] == [MARK, UNK] and vocab[2:] == sorted(set("".join(NAMES)))
    inputs, targets = encode_names(["Nowak", "Bo"], vocab)
    assert inputs.shape == targets.shape == (6, 2)
    decode = [vocab[i] for i in inputs[:, 0]]
    assert decode == [MARK, "N", "o", "w", "a", "k"]
    assert [vocab[i] for i in targets[:, 0]] == ["N", "o", "w", "a", "k", MARK]
    assert targets[:, 1].tolist()[3:] == [-100, -100, -100]
    assert inputs[:, 1].tolist()[3:] == [0, 0, 0]


def test_vocab_and_encoding_bad_inputs():
    with pytest.raises(ValueError, match="marker"):
        build_char_vocab(["Dr.No"])
    with pytest.raises(TypeError, match="list of strings"):
        build_char_vocab("Nowak")
    with pytest.raises(ValueError, match="marker '\\?'"):
        build_char_vocab(["Wh?"])
    with pytest.raises(ValueError, match="at least one"):
        encode_names([], ["."])


# ---------------------------------------------------------------- temperature


LOGITS = np.array([[2.0, 1.0, 0.5, -1.0], [0.0, 3.0, 3.0, -2.0]])


def test_temperature_one_is_softmax_and_rows_sum_to_one():
    np.testing.assert_allclose(softmax_temperature(LOGITS, 1.0), softmax(LOGITS))
    for T in [0.0, 1e-3, 0.5, 2.0, 1e6]:
        np.testing.assert_allclose(softmax_temperature(LOGITS, T).sum(axis=-1), 1.0)


def test_temperature_zero_is_greedy_with_first_tie():
    p = softmax_temperature(LOGITS, 0.0)
    np.testing.assert_array_equal(p, [[1, 0, 0, 0], [0, 1, 0, 0]])


@pytest.mark.parametrize("T", [1e-6, 1e-200, 1e-320])
def test_tiny_temperature_no_overflow_no_warning(T):
    logits = np.array([[800.0, 799.0, -50.0], [1.0, 0.0, 1.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        p = softmax_temperature(logits, T)
    assert np.all(np.isfinite(p))
    np.testing.assert_allclose(p[0], [1, 0, 0])
    np.testing.assert_allclose(p[1], [0.5, 0, 0.5])  # an exact tie splits the mass


def test_large_temperature_is_nearly_uniform():
    p = softmax_temperature(LOGITS, 1e9)
    np.testing.assert_allclose(p, 0.25, atol=1e-8)


def test_temperature_does_not_modify_input():
    logits = LOGITS.copy()
    softmax_temperature(logits, 0.3)
    np.testing.assert_array_equal(logits, LOGITS)


@pytest.mark.parametrize("T", [-0.1, float("nan"), float("inf")])
def test_bad_temperature(T):
    with pytest.raises(ValueError, match="temperature"):
        softmax_temperature(LOGITS, T)


def test_temperature_scalar_logits():
    with pytest.raises(ValueError, match="scalar"):
        softmax_temperature(np.float64(1.0), 1.0)


# ---------------------------------------------------------------- the generator


@pytest.fixture(scope="module")
def trained():
    vocab = build_char_vocab(NAMES)
    torch.manual_seed(0)
    model = NameGenerator(len(vocab), 3, hidden_size=16, char_dim=8, lang_dim=4)
    history = train_name_generator(model, NAMES, LANGS, vocab, epochs=30, batch_size=4, lr=2e-2)
    return model, vocab, history["train"]


def test_generator_training_lowers_the_loss(trained):
    model, vocab, losses = trained
    assert losses[-1] < 0.6 * losses[0]
    inputs, targets = encode_names(NAMES, vocab)
    nll = name_nll(model, inputs, targets, torch.tensor(LANGS))
    assert nll < np.log(len(vocab))


def test_generator_forward_shapes(trained):
    model, vocab, _ = trained
    inputs, _ = encode_names(NAMES[:3], vocab)
    logits, h = model(inputs, torch.tensor(LANGS[:3]))
    assert logits.shape == (inputs.shape[0], 3, len(vocab)) and h.shape == (1, 3, 16)


def test_generator_training_is_deterministic():
    vocab = build_char_vocab(NAMES)
    results = []
    for _ in range(2):
        torch.manual_seed(0)
        model = NameGenerator(len(vocab), 3, hidden_size=8, char_dim=4, lang_dim=2)
        results.append(train_name_generator(model, NAMES, LANGS, vocab, epochs=2, batch_size=3))
    assert results[0] == results[1]
    assert results[0]["val"] == [] and results[0]["best_epoch"] == 2


def test_early_stopping_restores_the_best_epoch():
    vocab = build_char_vocab(NAMES)
    torch.manual_seed(0)
    model = NameGenerator(len(vocab), 3, hidden_size=16, char_dim=8, lang_dim=4)
    val = (NAMES[:3], LANGS[:3])
    history = train_name_generator(
        model, NAMES[3:], LANGS[3:], vocab, epochs=12, batch_size=2, lr=3e-2, val=val
    )
    assert len(history["val"]) == 12
    best = history["best_epoch"]
    assert history["val"][best - 1] == min(history["val"])
    inputs, targets = encode_names(val[0], vocab)
    assert name_nll(model, inputs, targets, torch.tensor(val[1])) == pytest.approx(
        min(history["val"]), rel=1e-5
    )


def _valid(names, vocab, max_len):
    allowed = set(vocab[1:])
    return all(isinstance(n, str) and 1 <= len(n) <= max_len and set(n) <= allowed for n in names)


@pytest.mark.parametrize("T", [0.0, 1e-12, 1e-6, 0.5, 1.0, 5.0, 1e6])
def test_sampling_returns_valid_names_without_warnings(trained, T):
    model, vocab, _ = trained
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        names = sample_names(model, vocab, 1, n=20, tau=T, seed=3, max_len=12)
    assert len(names) == 20 and _valid(names, vocab, 12)


def test_greedy_is_one_name_and_tiny_temperature_agrees(trained):
    model, vocab, _ = trained
    greedy = sample_names(model, vocab, 0, n=5, tau=0.0, seed=1)
    assert len(set(greedy)) == 1
    assert sample_names(model, vocab, 0, n=5, tau=1e-9, seed=7) == greedy


def test_high_temperature_gives_variety(trained):
    model, vocab, _ = trained
    names = sample_names(model, vocab, 2, n=30, tau=50.0, seed=0, max_len=8)
    assert len(set(names)) > 20


def test_sampling_is_seeded(trained):
    model, vocab, _ = trained
    a = sample_names(model, vocab, 1, n=10, tau=1.0, seed=5)
    assert a == sample_names(model, vocab, 1, n=10, tau=1.0, seed=5)
    assert a != sample_names(model, vocab, 1, n=10, tau=1.0, seed=6)


def test_sampling_returns_the_logits_it_drew_from(trained):
    model, vocab, _ = trained
    names, logits = sample_names(model, vocab, 0, n=4, tau=0.0, seed=0, return_logits=True)
    assert logits.ndim == 3 and logits.shape[1:] == (4, len(vocab))
    assert np.all(logits[:, :, 1] == -np.inf) and np.all(logits[0, :, 0] == -np.inf)
    # greedy: each character is the argmax of the logits it was drawn from
    for b, name in enumerate(names):
        drawn = [vocab.index(c) for c in name] + ([0] if len(name) < len(logits) else [])
        assert [int(np.argmax(logits[t, b])) for t in range(len(drawn))] == drawn


def test_sample_next_frequencies_greedy_and_masks():
    rng = np.random.default_rng(0)
    y = np.tile([[0.5, 2.0, -np.inf, 1.0]], (50_000, 1))
    for tau in (0.5, 1.0, 3.0):
        got = sample_next(y, tau, rng)
        assert got.dtype == np.int64 and got.shape == (50_000,)
        freq = np.bincount(got, minlength=4) / len(got)
        np.testing.assert_allclose(freq, softmax_temperature(y[0], tau), atol=0.01)
        assert freq[2] == 0
    np.testing.assert_array_equal(sample_next(np.array([[1.0, 3.0, 3.0]]), 0.0, rng), [1])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert sample_next(np.array([[800.0, 0.0]]), 1e-300, rng).tolist() == [0]


def test_unknown_characters_encode_as_unk_and_are_scored():
    vocab = build_char_vocab(["ab"])
    inputs, targets = encode_names(["aèb"], vocab)
    assert [vocab[i] for i in targets[:, 0]] == ["a", UNK, "b", MARK]
    assert [vocab[i] for i in inputs[:, 0]] == [MARK, "a", UNK, "b"]
    nll = bigram_nll(["ab"], [0], ["aèb"], [0], vocab, alpha=0.1)
    assert np.isfinite(nll) and nll > bigram_nll(["ab"], [0], ["ab"], [0], vocab, alpha=0.1)


def test_sampling_bad_inputs(trained):
    model, vocab, _ = trained
    with pytest.raises(ValueError, match="language"):
        sample_names(model, vocab, 3)
    with pytest.raises(ValueError, match="temperature"):
        sample_names(model, vocab, 0, tau=-1.0)
    with pytest.raises(ValueError, match="n: expected"):
        sample_names(model, vocab, 0, n=0)
    with pytest.raises(ValueError, match="languages"):
        train_name_generator(model, NAMES, LANGS[:-1], vocab, epochs=1)
    with pytest.raises(ValueError, match="languages: expected indices"):
        train_name_generator(model, NAMES, [5] * len(NAMES), vocab, epochs=1)


def test_bigram_baseline():
    vocab = build_char_vocab(["ab", "ba"])
    # every name is "ab": with almost no smoothing the table is certain
    assert bigram_nll(["ab"] * 5, [0] * 5, ["ab"], [0], vocab, alpha=1e-9) < 1e-6
    # with enormous smoothing it knows nothing: ln V per character
    assert bigram_nll(["ab"], [0], ["ba"], [0], vocab, alpha=1e9) == pytest.approx(
        np.log(4)
    )  # V = 4 with UNK


# Notebook 10's claims on its fast run (L chosen on validation, the one-step win over
# the best baseline, the fed-back loss, the rolling-origin win at every horizon) are
# pinned by its checked cells, which nbval re-runs.


def test_seasonal_drift_forecast_is_exact_on_trend_plus_season():
    from helpers.applications import seasonal_drift_forecast

    t = np.arange(200.0)
    x = 0.1 * t + np.sin(2 * np.pi * t / 12)
    origins = np.array([100, 150])
    forecast = seasonal_drift_forecast(x, origins, 36, window=24)
    assert forecast.shape == (2, 36)
    np.testing.assert_allclose(forecast, np.stack([x[100:136], x[150:186]]), atol=1e-9)


def test_seasonal_drift_with_one_year_is_the_fed_back_seasonal_difference():
    from helpers.applications import seasonal_drift_forecast

    _, co2 = load_co2()
    origins = np.array([300, 466])
    windows = np.stack([co2[o - 36 : o] for o in origins])
    fed_back = forecast_recursive(lambda w: w[:, -1] + w[:, -12] - w[:, -13], windows, 30)
    np.testing.assert_allclose(seasonal_drift_forecast(co2, origins, 30, window=12), fed_back)
    with pytest.raises(ValueError, match="window"):
        seasonal_drift_forecast(co2, origins, 30, window=300)
