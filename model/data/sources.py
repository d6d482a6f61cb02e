"""Where ``jevons data fetch`` downloads each dataset of the manifest from: its canonical source.

* Market prices: Yahoo Finance through yfinance (:mod:`model.data.market`).
* Epoch AI tables: the CSV files linked from the publisher's data pages
  (https://epoch.ai/data/machine-learning-hardware, /notable-ai-models, /gpu-clusters), which
  serve them at ``https://epoch.ai/data/<file>.csv``. ``JEVONS_EPOCH_URL`` replaces the base.
* Hyperscaler capex: SEC EDGAR's XBRL "company facts" of each company
  (``https://data.sec.gov/api/xbrl/companyfacts/CIK##########.json``, documented at
  https://www.sec.gov/edgar/sec-api-documentation), turned into the manifest's
  ``ticker,year,quarter,payments_usd`` table by :mod:`model.data.sec`. SEC's fair-access rules
  require a User-Agent naming the requester and an email address; it is read from
  ``JEVONS_SEC_USER_AGENT`` (or ``--sec-user-agent``), never made up. ``JEVONS_SEC_URL``
  replaces the base.

The base-URL variables exist so that the tests can serve fixture files from 127.0.0.1, and so
that a reader can point the fetch at a copy of the publisher's files.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from model.errors import DataError

EPOCH_URL_ENV = "JEVONS_EPOCH_URL"
SEC_URL_ENV = "JEVONS_SEC_URL"
SEC_USER_AGENT_ENV = "JEVONS_SEC_USER_AGENT"

#: Epoch AI serves the CSV export of each dataset under this base (the "Download" links of
#: https://epoch.ai/data/machine-learning-hardware and the other data pages).
EPOCH_BASE_URL = "https://epoch.ai/data"
#: SEC EDGAR XBRL company facts, one JSON document per company (CIK zero-padded to 10 digits).
SEC_BASE_URL = "https://data.sec.gov/api/xbrl/companyfacts"

#: The Epoch AI export behind each manifest dataset.
EPOCH_FILES: dict[str, str] = {
    "epoch_ml_hardware": "ml_hardware.csv",
    "epoch_notable_ai_models": "notable_ai_models.csv",
    "epoch_gpu_clusters": "gpu_clusters.csv",
}

SEC_DATASET = "hyperscaler_capex_sec_xbrl_quarterly"


@dataclass(frozen=True)
class SecCompany:
    """One company of the capex table: the ticker the table uses, its SEC CIK and the US-GAAP
    concept that holds its cash capital expenditure (as in the mirror snapshot's PROVENANCE.md:
    PaymentsToAcquirePropertyPlantAndEquipment, for Amazon PaymentsToAcquireProductiveAssets)."""

    ticker: str
    cik: str
    concept: str

    def url(self, base: str) -> str:
        return f"{base.rstrip('/')}/CIK{self.cik}.json"


#: CIKs from EDGAR's company search (Microsoft 789019, Alphabet 1652044, Amazon 1018724).
SEC_COMPANIES: tuple[SecCompany, ...] = (
    SecCompany("MSFT", "0000789019", "PaymentsToAcquirePropertyPlantAndEquipment"),
    SecCompany("GOOG", "0001652044", "PaymentsToAcquirePropertyPlantAndEquipment"),
    SecCompany("AMZN", "0001018724", "PaymentsToAcquireProductiveAssets"),
)

_USER_AGENT = re.compile(r"^(?=.*\S\s+\S)(?=.*[^\s@<>]+@[^\s@<>]+\.[A-Za-z]{2,}).{5,200}$")


def epoch_base() -> str:
    return os.environ.get(EPOCH_URL_ENV) or EPOCH_BASE_URL


def sec_base() -> str:
    return os.environ.get(SEC_URL_ENV) or SEC_BASE_URL


def epoch_url(dataset: str, base: str | None = None) -> str:
    """The download URL of an Epoch AI dataset of the manifest."""
    return f"{(base or epoch_base()).rstrip('/')}/{EPOCH_FILES[dataset]}"


def sec_user_agent(value: str | None = None) -> str:
    """The User-Agent for SEC requests: ``value``, else ``JEVONS_SEC_USER_AGENT``; SEC requires
    a name and an email address ("Jane Doe jane@example.org")."""
    agent = (value if value is not None else os.environ.get(SEC_USER_AGENT_ENV, "")).strip()
    if not agent:
        raise DataError(
            f"{SEC_DATASET}: SEC requires a User-Agent with your name and email address; set "
            f"{SEC_USER_AGENT_ENV}='Your Name you@example.org' (or pass --sec-user-agent)"
        )
    if not _USER_AGENT.match(agent):
        raise DataError(
            f"{SEC_USER_AGENT_ENV}={agent!r}: allowed is a name and an email address, e.g. "
            "'Jane Doe jane@example.org' (SEC's fair-access rules)"
        )
    return agent
