"""The catalogue for harvesters: DCAT (W3C Data Catalog Vocabulary, DCAT-AP terms) as JSON-LD.

One dcat:Dataset per data package and one per measure (part of its package), each with
its downloads as dcat:Distribution. Frequencies use the EU Publications Office's
frequency vocabulary, which data.gov.uk-style and European harvesters both understand.
"""

from __future__ import annotations

from datetime import datetime

from ..domain.model import Dataset, Measure, Site
from ..domain.vocabulary import Frequency
from ..urls import Urls
from .files import Download

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
MEDIA_TYPES = {"CSV": "text/csv", "JSON": "application/json", "ZIP": "application/zip",
               "XLSX": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
               "SQLite": "application/vnd.sqlite3"}


def _id(url: str) -> dict:
    return {"@id": url}


def _date(d) -> dict:
    return {"@value": d.isoformat(), "@type": "xsd:date"}


def _distribution(d: Download, urls: Urls) -> dict:
    out = {"@type": "dcat:Distribution", "dct:title": d.label, "dcat:downloadURL": _id(urls.absolute(d.path)),
           "dcat:accessURL": _id(urls.absolute(d.path)), "dct:format": d.format,
           "dcat:byteSize": {"@value": d.bytes, "@type": "xsd:nonNegativeInteger"}}
    if d.format in MEDIA_TYPES:
        out["dcat:mediaType"] = _id(f"https://www.iana.org/assignments/media-types/{MEDIA_TYPES[d.format]}")
    return out


def _licence(licence: dict) -> dict | None:
    return _id(licence["path"]) if licence.get("path") else None


def _common(title: str, description: str, publisher: dict, contact: dict, licence: dict | None) -> dict:
    out = {"dct:title": title, "dct:description": description or title, "dct:publisher": publisher,
           "dcat:contactPoint": contact}
    if licence:
        out["dct:license"] = licence
    return out


def _periodicity(frequency: Frequency) -> dict:
    return _id(frequency.eu_uri)


def _package(d: Dataset, files: list[Download], urls: Urls, publisher: dict, contact: dict,
             frequencies: list[Frequency]) -> dict:
    url = urls.absolute(urls.dataset(d.name))
    out = {"@id": url, "@type": "dcat:Dataset", "dct:identifier": d.name,
           **_common(d.title, d.description, publisher, contact, _licence(d.licence)),
           "dcat:landingPage": _id(url), "dcat:keyword": [k for k in d.descriptor.get("keywords", []) if isinstance(k, str)],
           "dcat:distribution": [_distribution(f, urls) for f in files]}
    if len(frequencies) == 1:
        out["dct:accrualPeriodicity"] = _periodicity(frequencies[0])
    if d.updated:
        out["dct:modified"] = _date(d.updated)
    if d.added:
        out["dct:issued"] = _date(d.added)
    return out


def _measure(m: Measure, d: Dataset, urls: Urls, publisher: dict, contact: dict) -> dict:
    url = urls.absolute(urls.measure(m.id))
    files = [Download(f"{m.title} ({fmt})", urls.measure_file(m.id, ext), fmt, 0) for fmt, ext in
             (("CSV", "csv"), ("XLSX", "xlsx"), ("JSON", "json"))]
    out = {"@id": url, "@type": "dcat:Dataset", "dct:identifier": m.id,
           **_common(m.title, m.description, publisher, contact, _licence(d.licence)),
           "dcat:landingPage": _id(url), "dct:isPartOf": _id(urls.absolute(urls.dataset(d.name))),
           "dct:accrualPeriodicity": _periodicity(m.frequency),
           "dct:temporal": {"@type": "dct:PeriodOfTime", "dcat:startDate": _date(m.first_period.start),
                            "dcat:endDate": _date(m.last_period.end)},
           "dcat:distribution": [{k: v for k, v in _distribution(f, urls).items() if k != "dcat:byteSize"}
                                 for f in files]}
    if m.updated:
        out["dct:modified"] = _date(m.updated)
    return out


def _publisher(d: Dataset, council: str, own: dict) -> dict:
    """A partner's data (the police's, the NHS's) names its own publisher; the council republishes it."""
    return {"@type": "foaf:Agent", "foaf:name": d.publisher} if d.partner(council) else own


def catalog(site: Site, files: dict[str, list[Download]], urls: Urls, council: str, contact_email: str,
            default_license: dict, now: datetime) -> dict:
    """The catalogue: `files` are each dataset's downloads, by name, in catalogue order."""
    publisher = {"@type": "foaf:Agent", "foaf:name": council}
    contact = {"@type": "vcard:Organization", "vcard:fn": council,
               "vcard:hasEmail": _id(f"mailto:{contact_email}")}
    datasets = [_package(site.datasets[name], downloads, urls, _publisher(site.datasets[name], council, publisher),
                         contact, site.frequencies(site.datasets[name])) for name, downloads in files.items()]
    datasets += [_measure(m, site.datasets[m.package], urls, publisher, contact)
                 for m in sorted(site.measures.values(), key=lambda m: m.id)]
    licence = _licence(default_license)
    return {"@context": CONTEXT, "@id": urls.absolute(urls.data_file("catalog.jsonld")), "@type": "dcat:Catalog",
            "dct:title": f"{council}: open data", "dct:description": f"Every dataset published on the {council} Dashboard.",
            "dct:publisher": publisher, "dct:language": _id("http://publications.europa.eu/resource/authority/language/ENG"),
            "foaf:homepage": _id(urls.absolute(urls.catalogue())),
            "dct:modified": _date(max((d.updated for d in site.datasets.values() if d.updated), default=now.date())),
            **({"dct:license": licence} if licence else {}),
            "dcat:dataset": datasets}
