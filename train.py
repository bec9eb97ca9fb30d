#!/usr/bin/env python
"""Train a sectors model from a labelled CSV.

    python train.py [DATA.csv] [--out models/sectors.joblib] [--cv 5] [--seed 0]

Defaults to data/train.csv and scores the model on data/test.csv; the shipped model
in models/ is exactly what this command writes from the shipped data/.
Same as `sectors train`.
"""
import sys

from classifier.cli import main

if __name__ == "__main__":
    sys.exit(main(["train", *sys.argv[1:]]))
