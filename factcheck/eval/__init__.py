"""Evaluation and training, apart from the runtime path: the runtime never imports this package.

datasets.py  the labelled stance sets in ../shared/datasets, with their held-out splits
evaluate.py  score a stance backend on one (`factcheck eval`)
metrics.py   accuracy, macro-F1, per-class scores, the FNC-1 score
pairs.py     training pairs generated from real news sentences (v1)
corpus.py    real labelled training pairs at scale (v2)
train.py     fine-tune and calibrate the shipped stance model (`factcheck train-stance`)
"""
