"""Fine-tuning the risk reader (understanding/lab/fine_tune.py): PyTorch learns the
tuning, carebot's numpy encoder runs it, so the two must give the same score; a run is
kept and not repeated; each training message's score comes from a reader that never saw
it."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from carebot.understanding import encoder
from carebot.understanding.lab import fine_tune

RISKS = ["My carer shouts at me and I am scared of her.",
         "Nobody came last night and I was on the floor until morning.",
         "He takes my money and says I will be moved if I tell.",
         "She pushed me in the shower. Please do not tell her I said."]
ORDINARY = ["The carers are lovely and always on time.",
            "Lunch was nice today. Thank you.",
            "Could the visit be half an hour later on Sundays?",
            "The new rota is much better."]
FFT = ["Long wait at reception but the nurse was kind.", "Parking is a nightmare."]


def _examples() -> list[fine_tune.Example]:
    return ([fine_tune.Example(t, True, False) for t in RISKS]
            + [fine_tune.Example(t, False, False) for t in ORDINARY]
            + [fine_tune.Example(t, False, True) for t in FFT])


@pytest.fixture(scope="module")
def shared() -> encoder.Encoder:
    found = encoder.shared()
    assert found is not None, "make install installs the encoder's weights"
    return found.tuned(None)


def test_numpy_runs_the_tuning_torch_learnt(shared: encoder.Encoder, tmp_path: Path) -> None:
    import torch  # make install installs PyTorch's CPU build (requirements-train.txt)

    examples = _examples()
    states = fine_tune.lower_states(shared, [ex.text for ex in examples])
    arrays = fine_tune.train(shared, states, examples, epochs=4)
    path = tmp_path / "tuning.npz"
    fine_tune.save(arrays, path)
    tuning = encoder.read_tuning(path)
    assert tuning.top == fine_tune.TOP
    assert any(np.abs(b).max() > 0 for _, b, _ in tuning.updates.values()), "it learnt"
    # The torch reader, given the float16 numbers the file holds, scores as numpy does.
    reader = fine_tune._Reader(torch, shared.tensors, 0)
    for (i, part), (a, b, _) in tuning.updates.items():
        reader.updates[(i, part)] = (torch.from_numpy(a), torch.from_numpy(b))
    reader.head_weight = torch.from_numpy(tuning.head[0])
    reader.head_bias = torch.tensor([tuning.head[1]])
    with torch.no_grad():
        by_torch = reader.logits(states).numpy()
    tuned = shared.tuned(tuning)
    by_numpy = [float(tuned.read(ex.text)[1] or 0.0) for ex in examples]
    assert by_numpy == pytest.approx(by_torch.tolist(), abs=2e-3)
    # Four epochs on ten messages: it has learnt which is which.
    assert min(by_numpy[:4]) > max(by_numpy[4:])
    # The sentences' own vectors are the untuned encoder's: the tuning adds a score only.
    plain, _ = shared.read(RISKS[3])
    assert np.array_equal(tuned.read(RISKS[3])[0], plain)
    assert encoder.TUNED in tuned.features(RISKS[0])
    assert encoder.TUNED not in shared.features(RISKS[0])


def test_out_of_fold_scores_come_from_readers_that_never_saw_them(
        monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[set[str]] = []
    real_train = fine_tune.train

    def watched(encoder_: encoder.Encoder, states: Sequence[fine_tune._Lower],
                examples: Sequence[fine_tune.Example], seed: int = 0,
                epochs: int = 1) -> dict[str, np.ndarray[Any, Any]]:
        seen.append({ex.text for ex in examples})
        return real_train(encoder_, states, examples, seed, epochs)

    monkeypatch.setattr(fine_tune, "train", watched)
    examples = _examples()
    folds = [i % 2 for i in range(len(examples))]
    run = fine_tune.fine_tune(examples, folds, epochs=1)
    assert len(seen) == 3, "a reader per fold, and one on all"
    assert seen[0] == {ex.text for ex, f in zip(examples, folds, strict=True) if f == 1}
    assert seen[2] == {ex.text for ex in examples}
    assert len(run.logits) == len(examples) and run.tuning.is_file()
    # The same run again is read from the cache, not trained.
    assert fine_tune.fine_tune(examples, folds, epochs=1) == run
    assert len(seen) == 3
