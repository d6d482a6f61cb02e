"""The source classifier (model.output.sources): known answers, and every cited host classified."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from model.output import sources
from model.output.book import facts_table, show_table, with_source_kinds

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("url, kind", [
    ("https://nvidianews.nvidia.com/news/nvidia-announces-financial-results", "primary"),
    ("https://arxiv.org/abs/2412.19437", "research"),
    ("https://www.alignmentforum.org/posts/c6KFvQcZggQKZzxr9", "research"),
    ("https://au.investing.com/news/stock-market-news/x", "wire"),      # a subdomain's parent
    ("https://www.zawya.com/en/markets", "wire"),
    ("https://fortune.com/2025/01/27/x", "news"),
    ("https://ca.finance.yahoo.com/news/x", "news"),                  # the news, not the data
    ("https://finance.yahoo.com/quote/NVDA/history", "data"),
    ("https://www.menafn.com/1109", "secondary"),
    ("https://fintechnews.site/nvidia-s-plunge", "weak"),
    ("https://generator-hub.com/blog/6891", "weak"),
])
def test_known_kinds(url, kind):
    assert sources.source_kind(url) == kind


def test_link_text_names_the_original_and_what_the_copy_is():
    assert (sources.link_text("https://fintechnews.site/x",
                              "Bloomberg (via Fintech News; Forbes via Scoon TV)")
            == "a Bloomberg report, copied by a weak aggregator (fintechnews.site)")
    assert (sources.link_text("https://www.zawya.com/x", "Reuters (via Zawya)")
            == "Reuters story on zawya.com")
    assert (sources.link_text("https://edacafe.com/x", "NVIDIA results release (GlobeNewswire via EDACafe)")
            == "secondary copy of a GlobeNewswire report (edacafe.com)")
    assert (sources.link_text("https://newsbeep.com/x", "FT Alphaville (via Newsbeep)")
            == "an FT Alphaville report, copied by a weak aggregator (newsbeep.com)")
    assert (sources.link_text("https://theleaderreport.com/x", "The Leader Report")
            == "weak source: The Leader Report (theleaderreport.com)")
    assert sources.link_text("https://arxiv.org/abs/1", "DeepSeek-V3 technical report") == \
        "DeepSeek-V3 technical report"
    label = sources.describe_source("https://t-room.us/x", "CNBC (Samantha Subin)")
    assert (label.kind, label.original) == ("weak", "CNBC")
    assert label.meaning == sources.KINDS["weak"]


def test_an_unknown_host_or_a_non_url_is_refused_with_its_name():
    with pytest.raises(KeyError, match="example.org"):
        sources.source_kind("https://example.org/page")
    with pytest.raises(ValueError, match="not an http"):
        sources.source_kind("data/manifest.toml")


def test_html_link_escapes():
    link = sources.html_link("https://arxiv.org/abs/1?a=1&b=2", "A <b> report")
    assert link == '<a href="https://arxiv.org/abs/1?a=1&amp;b=2">A &lt;b&gt; report</a>'


def _fact_urls() -> list[str]:
    urls = []
    for path in sorted((ROOT / "data" / "facts").glob("*.csv")):
        column = pd.read_csv(path)["source"].dropna().astype(str)
        urls += [u for u in column if u.startswith("http")]
    return urls


def _book_urls() -> list[str]:
    text = "\n".join(p.read_text() for p in sorted((ROOT / "book").rglob("*.md")))
    return re.findall(r"\]\((https?://[^)\s]+)\)", text)


def test_every_cited_host_is_classified():
    """A new fact or link from an unlisted site fails here until its kind is decided."""
    hosts = {sources.host_of(u) for u in _fact_urls() + _book_urls()}
    assert len(hosts) > 50
    unknown = []
    for host in sorted(hosts):
        try:
            sources.source_kind(f"https://{host}/")
        except KeyError:
            unknown.append(host)
    assert not unknown, f"classify these hosts in model.output.sources.DOMAIN_KINDS: {unknown}"


def test_the_table_gives_each_host_one_kind():
    names = [host for hosts in (sources._PRIMARY, sources._RESEARCH, sources._REFERENCE,
                                sources._DATA, sources._NEWS, sources._WIRE, sources._SECONDARY,
                                sources._WEAK) for host in hosts]
    assert len(names) == len(set(names))
    assert set(sources.DOMAIN_KINDS.values()) == set(sources.KINDS)


def test_link_and_kind_and_the_facts_table_helper(mirror):
    cell, kind = sources.link_and_kind("derived: a*b", "this project")
    assert (cell, kind) == ("this project: derived: a*b", "")
    table = with_source_kinds(facts_table(["nvda_close_2025_01_27", "deepseek_v3_gpu_hours"]))
    assert list(table.columns)[-2:] == ["source", "kind of source"]
    assert table["kind of source"].tolist() == [sources.KINDS["weak"], sources.KINDS["research"]]
    assert ">an ABC report, copied by a weak aggregator (nvidiadaily.com)</a>" in table["source"].iloc[0]
    html = show_table(table).to_html()
    assert '<a href="https://arxiv.org/abs/2412.19437">DeepSeek-V3 technical report</a>' in html
