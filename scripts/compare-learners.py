#!/usr/bin/env python3
"""Compare other learners with the shipped classifier on the same folds.

An offline experiment, not part of the build or the tests. It answers one
question: would a different model family (gradient-boosted trees) over the
same features label the development crawl better than the shipped logistic
regression, under the same site-grouped folds?

    go test ./classifier -run TestAccuracyCookieBlock -count=1 \\
        -args -accuracy.quick -accuracy.repeats 0 -accuracy.dump /tmp/folds.jsonl
    apt-get install -y python3-sklearn python3-xgboost   # Debian's packages
    /usr/bin/python3 scripts/compare-learners.py /tmp/folds.jsonl

Each learner is trained per fold on exactly the samples the fold's shipped
model trains on (weights included) and scored on the fold's test cookies by
its arg-max, twice: alone over every cookie, and in the model's place (the
cookies an embedded database entry decides keep the shipped label).
"shipped pipeline" is the label the whole pipeline gives (database, model,
name rules, low-confidence policy): the figure to beat.
"""
import json
import sys
from collections import defaultdict

import numpy as np
import xgboost
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression

CLASSES = ["necessary", "preferences", "statistics", "marketing"]


def learners():
    yield "sklearn logistic regression (C=5)", lambda: LogisticRegression(C=5, max_iter=3000)
    for trees, depth in [(300, 6), (600, 3), (1000, 2), (300, 10)]:
        yield f"xgboost {trees} trees, depth {depth}", (
            lambda t=trees, d=depth: xgboost.XGBClassifier(
                n_estimators=t, max_depth=d, learning_rate=0.1, subsample=0.9,
                colsample_bytree=0.5, tree_method="hist", random_state=0))


def main(path):
    folds = defaultdict(lambda: {"train": [], "test": []})
    with open(path) as f:
        for line in f:
            r = json.loads(line)
            folds[r["fold"]]["test" if r["test"] else "train"].append(r)
    right = defaultdict(int)
    total = 0
    for fold in sorted(folds):
        train, test = folds[fold]["train"], folds[fold]["test"]
        vec = DictVectorizer()
        x_train = vec.fit_transform([dict.fromkeys(r["features"], 1) for r in train])
        x_test = vec.transform([dict.fromkeys(r["features"], 1) for r in test])
        y_train = np.array([r["class"] for r in train])
        y_test = np.array([r["class"] for r in test])
        weights = np.array([r["weight"] for r in train])
        total += len(test)
        shipped = np.array([r["label"] == CLASSES[r["class"]] for r in test])
        by_database = np.array([r["source"] not in ("model", "heuristic") for r in test])
        right["shipped pipeline"] += int(shipped.sum())
        for name, make in learners():
            model = make()
            model.fit(x_train, y_train, sample_weight=weights)
            hit = model.predict(x_test) == y_test
            right[name + ", alone"] += int(hit.sum())
            right[name + ", in the model's place"] += int(np.where(by_database, shipped, hit).sum())
        print(f"fold {fold}: {len(train)} training samples, {len(test)} test cookies", file=sys.stderr)
    for name, n in right.items():
        print(f"{name:60s} right overall {100 * n / total:5.1f}% ({n}/{total})")


if __name__ == "__main__":
    main(sys.argv[1])
