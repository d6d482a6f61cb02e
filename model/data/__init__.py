"""The data layer: external datasets (cache, mirror, network) and the curated facts tables.

>>> from model.data import load_prices, load_dataset, DATASETS
>>> nvda = load_prices("NVDA", "2025-01-02", "2025-02-10")       # doctest: +SKIP
>>> hardware = load_dataset("epoch_ml_hardware")                 # doctest: +SKIP

Sources are listed in ``data/manifest.toml``; the facts tables (``data/facts``) are read by
:mod:`model.data.facts`.
"""

from model.data.datasets import DATASETS, load_dataset
from model.data.market import fetch_prices, load_prices

__all__ = ["DATASETS", "fetch_prices", "load_dataset", "load_prices"]
