"""Word lists and patterns that say how concrete a résumé sentence is."""

from __future__ import annotations

import re

# A number with a unit, a currency, a multiplier or a percentile: "30%", "p99", "2x", "$1.2M",
# "10k requests", "team of 6", "40 ms".
METRIC = re.compile(
    r"(?:[$€£]\s?\d[\d,.]*\s?[kmb]?n?\b"
    r"|\b\d[\d,.]*\s?(?:%|percent\b|x\b|×|ms\b|milliseconds?\b|seconds?\b|minutes?\b|hours?\b|"
    r"days?\b|weeks?\b|months?\b|k\b|m\b|bn\b|million\b|billion\b|thousand\b|users?\b|"
    r"customers?\b|clients?\b|requests?\b|rps\b|qps\b|tps\b|events?\b|messages?\b|"
    r"engineers?\b|developers?\b|people\b|services?\b|teams?\b|countries\b|regions?\b|"
    r"servers?\b|nodes?\b|clusters?\b|gb\b|tb\b|pb\b|mb\b|releases?\b|deploys?\b|"
    r"deployments?\b|pipelines?\b|repos(?:itories)?\b|tests?\b|apis?\b|endpoints?\b|"
    r"stores?\b|merchants?\b|transactions?\b|orders?\b|pages?\b|records?\b|rows?\b)"
    r"|\bp(?:50|90|95|99|999)\b"
    r"|\b(?:team|group) of \d+"
    r"|\b(?:halved|doubled|tripled|quadrupled)\b)",
    re.IGNORECASE,
)
OWNERSHIP = re.compile(
    r"\b(?:led|lead|leading|owned|own|owning|drove|driving|spearheaded|architected|headed|"
    r"founded|co-founded|initiated|championed|managed|directed|ran|established|"
    r"took ownership|was the owner|tech lead|technical lead)\b",
    re.IGNORECASE,
)
ACTION = re.compile(
    r"\b(?:built|designed|architected|migrated|reduced|cut|increased|improved|launched|shipped|"
    r"created|implemented|developed|automated|optimi[sz]ed|scaled|rewrote|introduced|delivered|"
    r"deployed|integrated|refactored|replaced|consolidated|decreased|saved|grew|wrote|authored|"
    r"mentored|hired|eliminated|accelerated|streamlined|debugged|profiled|instrumented|"
    r"containeri[sz]ed|parallel(?:i[sz]ed)|sharded|partitioned|benchmarked|open-sourced|"
    r"prototyped|modelled|modeled|trained|fine-tuned|tuned|secured|hardened|ported)\b",
    re.IGNORECASE,
)
SCOPE = re.compile(
    r"\b(?:company-wide|organi[sz]ation-wide|org-wide|cross-functional|end-to-end|"
    r"in production|production|multi-region|global(?:ly)?|platform|across (?:\w+ ){0,2}teams|"
    r"\d+\s?(?:teams|engineers|services|countries|regions)|million|billion)\b",
    re.IGNORECASE,
)
VAGUE = re.compile(
    r"\b(?:worked (?:with|on)|familiar(?:ity)? with|exposure to|knowledge of|"
    r"experience (?:with|in)|involved in|helped(?: with)?|assisted|participated|various|"
    r"responsible for|duties included|good understanding|basic|some experience|"
    r"passionate about|team player|hard-working|interested in|learning|dabbled|"
    r"understanding of|contributed to|supported)\b",
    re.IGNORECASE,
)


def has_metric(text: str) -> bool:
    """True when the sentence carries a number worth checking."""
    return bool(METRIC.search(text))
