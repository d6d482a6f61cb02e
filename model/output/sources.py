"""What kind of source a URL is, and link text that says so.

The curated facts (``data/facts/*.csv``) were often read from a repost of a wire story or from
a page that rewrites other outlets' reports. A reader should see that before following a link.
:data:`DOMAIN_KINDS` is a curated table of every host the facts and the book cite, each with
one of the kinds of :data:`KINDS`; :func:`source_kind` classifies a URL by its host (a subdomain
falls back to its parent domain), and :func:`link_text` writes what the link is, naming the
original outlet where the fact's ``stated_by`` gives one ("secondary copy of a Bloomberg
report" rather than "Bloomberg"). :func:`describe_source` returns both.

The kinds are a judgement about the site, made once here, not about the fact: a weak site can
carry a correct figure (the facts tables' notes say where a figure was checked against data).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from urllib.parse import urlparse

#: kind -> what it means (the book's legend for the "Kind of source" column)
KINDS: dict[str, str] = {
    "primary": "company release, filing or official page",
    "research": "paper, dataset or research note",
    "reference": "technical reference (specification table, engineer's notes)",
    "data": "market or company data service",
    "news": "report by a news outlet",
    "wire": "wire story (Reuters, AP) carried by a licensed outlet",
    "secondary": "secondary copy or rewrite of another outlet's report",
    "weak": "weak aggregator or content farm",
}

_PRIMARY = ("nvidianews.nvidia.com", "exascaleproject.org", "imf.org", "github.com", "sec.gov",
            "api-docs.deepseek.com", "openai.com", "microsoft.com", "blogs.microsoft.com",
            "abc.xyz", "investor.atmeta.com", "ir.aboutamazon.com", "nvidia.com")
_RESEARCH = ("arxiv.org", "nber.org", "epoch.ai", "alignmentforum.org", "a16z.com", "doi.org",
             "jstor.org", "ams.org", "osti.gov")
_REFERENCE = ("glennklockwood.com", "hmc-tech.com")
_DATA = ("finance.yahoo.com", "visiblealpha.com")
_NEWS_SUBDOMAINS = ("ca.finance.yahoo.com",)
_NEWS = ("businesstoday.in", "fortune.com", "livemint.com", "datacenterdynamics.com", "crn.com",
         "fierceelectronics.com", "techzine.eu", "digitimes.com", "trendforce.com",
         "thestack.technology", "moneycontrol.com", "ndtvprofit.com", "ndtv.com", "fool.com",
         "benzinga.com", "247wallst.com", "nasdaq.com", "marketbeat.com", "yourstory.com",
         "emarketer.com", "pymnts.com", "sherwood.news", "telecomtv.com", "spyglass.org",
         "tribune.com.pk", "republicworld.com", "necn.com", "moneyweek.com", "maginative.com",
         "gigazine.net", "tipranks.com", "arabianbusiness.com", "anews.com.tr", "harici.com.tr",
         "cnbc.com", "reuters.com", "bloomberg.com", "ft.com", "wsj.com", "apnews.com",
         "stratechery.com", "semianalysis.com", "theverge.com", "techcrunch.com",
         *_NEWS_SUBDOMAINS)
_WIRE = ("investing.com", "zawya.com", "channelnewsasia.com", "the-independent.com",
         "koreajoongangdaily.joins.com", "milwaukeeindependent.com")
_SECONDARY = ("menafn.com", "edacafe.com", "convergedigest.blogspot.com", "epicos.com",
              "levelheadedinvesting.com", "news.kurtseifried.org", "chaincatcher.com",
              "climateerinvest.blogspot.com", "itiger.com", "bestbusiness.substack.com",
              "gmteight.com", "lbkrs.com", "lumidanews.com", "newsghana.com.gh",
              "nextbigfuture.com", "fundamentalis.com", "briefly.co", "opencapital.sh",
              "coincentral.com", "community.openai.com", "talkmarkets.com", "thxnews.com",
              "uslive.com", "shacknews.com")
_WEAK = ("dynnews.com", "bez-kabli.pl", "europesays.com", "newsbeep.com", "cryptoflexs.com",
         "reportify.ai", "modeledge.ai", "vuink.com", "neighborhoodsf.com", "compux.net",
         "highenergytrading.net", "idiocracynewsmedia.com", "nvidiadaily.com",
         "world-economist.com", "t-room.us", "generator-hub.com", "studynil.com",
         "infomalangraya.com", "247news.center", "frousa.org", "alexa.ng", "timesng.com",
         "stockwaves.in", "techgethub.com", "fintechnews.site", "scoontv.com", "link4din.com",
         "theleaderreport.com", "profitsolutionmarket.com", "toplinecrypto.com",
         "nytimesnewstoday.com", "preview.deepnewz.com", "deepnewz.com", "userz.net",
         "downcodes.com", "iaiseek.com", "macro-spectrum.com", "up2info.com", "rahulghosh.us",
         "capernaum.me", "marketsfn.com", "aifront-page.com", "daily8.com", "centerconsulting.com",
         "cryptonewshub.news", "coins2day.com", "ainvest.com", "emergentmind.com",
         "webpronews.com", "morningworldnews.com")

#: host (without "www.") -> kind; a subdomain not listed takes its parent domain's kind
DOMAIN_KINDS: dict[str, str] = {
    host: kind
    for kind, hosts in (("primary", _PRIMARY), ("research", _RESEARCH), ("reference", _REFERENCE),
                        ("data", _DATA), ("news", _NEWS), ("wire", _WIRE),
                        ("secondary", _SECONDARY), ("weak", _WEAK))
    for host in hosts
}

#: news organisations whose reports the facts' ``stated_by`` names as the original
OUTLETS = ("Reuters", "Bloomberg", "CNBC", "AP", "Financial Times", "FT Alphaville", "FT", "WSJ",
           "Fortune", "Forbes", "ABC", "Investopedia", "SCMP", "NYT", "Zacks", "Benzinga",
           "GlobeNewswire", "Wallstreetcn", "SemiAnalysis", "Motley Fool", "Tom's Hardware",
           "TechCrunch", "Sherwood News", "Latent Space")
_OUTLET = re.compile(r"(?<![\w'])(" + "|".join(re.escape(o) for o in OUTLETS) + r")(?![\w'])")


@dataclass(frozen=True)
class SourceLabel:
    """A classified source: its ``host``, ``kind`` (a key of :data:`KINDS`), the ``original``
    outlet or author the copy stands for, and the link ``text`` to show."""

    url: str
    host: str
    kind: str
    original: str
    text: str

    @property
    def meaning(self) -> str:
        return KINDS[self.kind]


def host_of(url: str) -> str:
    """The host of an http(s) ``url``, lower case, without a leading "www."."""
    parsed = urlparse(url.strip())
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ValueError(f"source {url!r}: not an http(s) URL")
    return parsed.netloc.lower().split(":")[0].removeprefix("www.")


def source_kind(url: str) -> str:
    """The kind (:data:`KINDS`) of the site at ``url``, from :data:`DOMAIN_KINDS`; a host
    missing from the table raises ``KeyError`` naming it (add it there)."""
    host = host_of(url)
    parts = host.split(".")
    for start in range(len(parts) - 1):
        candidate = ".".join(parts[start:])
        if candidate in DOMAIN_KINDS:
            return DOMAIN_KINDS[candidate]
    raise KeyError(f"source host {host!r} is not classified: add it to "
                   "model.output.sources.DOMAIN_KINDS")


def original_outlet(stated_by: str) -> str | None:
    """The first news outlet (:data:`OUTLETS`) that ``stated_by`` names, if any."""
    found = _OUTLET.search(stated_by or "")
    return found.group(1) if found else None


def _origin(stated_by: str) -> str:
    """``stated_by`` without its "(via ...)" or "(copy)" tail: who stated the figure."""
    text = re.sub(r"\s*\((?:[^()]*\bvia\b[^()]*|copy|repost|weak source)\)\s*$", "", stated_by or "")
    return text.strip() or (stated_by or "").strip()


def _a(word: str) -> str:
    return "an" if word[:1] in "AEIOU" or word in ("FT", "FT Alphaville", "NYT") else "a"


def link_text(url: str, stated_by: str = "") -> str:
    """Link text that says what the source is, e.g. "secondary copy of a Bloomberg report
    (fintechnews.site)", "Reuters wire story (zawya.com)", "NVIDIA results release"."""
    return describe_source(url, stated_by).text


def describe_source(url: str, stated_by: str = "") -> SourceLabel:
    """The :class:`SourceLabel` of ``url`` for a fact stated by ``stated_by``."""
    host, kind = host_of(url), source_kind(url)
    outlet = original_outlet(stated_by)
    origin = _origin(stated_by) or host
    relayed = origin != (stated_by or "").strip() or bool(outlet)
    if kind == "wire":
        text = f"{outlet or 'wire'} story on {host}"
    elif kind in ("secondary", "weak"):
        what = f"{_a(outlet)} {outlet} report" if outlet else origin
        if kind == "secondary":
            text = f"secondary copy of {what} ({host})"
        elif relayed:
            text = f"{what}, copied by a weak aggregator ({host})"
        else:
            text = f"weak source: {origin} ({host})"
    elif kind == "news":
        text = f"{origin}, reported by {host}" if relayed else f"{origin} report ({host})"
    else:
        text = origin
    return SourceLabel(url=url, host=host, kind=kind, original=outlet or origin, text=text)


def html_link(url: str, stated_by: str = "") -> str:
    """An HTML anchor to ``url`` whose text is :func:`link_text` (for tables on the page)."""
    return (f'<a href="{html.escape(url, quote=True)}">'
            f"{html.escape(link_text(url, stated_by))}</a>")


def link_and_kind(source: str, stated_by: str = "") -> tuple[str, str]:
    """``(cell, kind)`` for a table that lists a fact's source: an http(s) ``source`` becomes
    :func:`html_link` and its kind in words (:data:`KINDS`); anything else (a formula over other
    facts, a file of this repository) is shown as escaped text, "stated_by: source", of no kind."""
    if source.strip().startswith(("http://", "https://")):
        return html_link(source, stated_by), describe_source(source, stated_by).meaning
    text = f"{stated_by}: {source}" if stated_by else source
    return html.escape(text), ""
