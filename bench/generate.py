#!/usr/bin/env python3
"""Deterministic generators of the benchmark inputs (nothing large is committed).

    python bench/generate.py            # every input set, into bench/out/
    python bench/generate.py --quick    # only the sets that `run.py --quick` needs

Everything derives from the conformant example bid in standards/_examples/northwind-cmi/
and from a fixed seed, so two runs write byte-identical files. Written sets:

  manifests-{100,1000,3000,10000}/   one data manifest per file, valid and invalid mixed
  retention-{1000,10000}/            one retention policy per file, valid and invalid mixed
  bids-100/                          100 bid folders (manifest, retention policy, OpenAPI, models/)
  openapi-generated-{1,5,10}MB.{yaml,json}   large OpenAPI 3.1 descriptions (≤ 5,000 operations)
  inputs.json                        what was written: counts, bytes, intended mistakes

The smaller manifest and retention sets are prefixes of the larger ones (file i is the same
in every set), so time against N compares like with like. Needs PyYAML (the project's venv).
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import random
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

SEED = 20261015
HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
EXAMPLE = ROOT / "standards" / "_examples" / "northwind-cmi"
OUT = HERE / "out"

MANIFEST_SETS = (100, 1000, 3000, 10000)
RETENTION_SETS = (1000, 10000)
BID_COUNT = 100
OPENAPI_SIZES_MB = (1, 5, 10)
MAX_OPERATIONS = 5000
INVALID_SHARE = 0.35  # share of documents that carry at least one mistake
SYNTAX_SHARE = 0.01  # share of documents that do not even parse

QUICK = {
    "manifests": (100, 1000),
    "retention": (1000,),
    "bids": True,
    "openapi_mb": (1, 5),
}


def rng_for(*parts: object) -> random.Random:
    """One independent, reproducible random stream per (set, index)."""
    digest = hashlib.sha256(repr((SEED, *parts)).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def load_yaml(path: Path) -> Any:
    with path.open("rb") as fh:
        return yaml.load(fh, Loader=yaml.CSafeLoader)


def dump_yaml(data: Any) -> str:
    return yaml.dump(data, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True, width=100)


# --- vocabulary of the variations ------------------------------------------------------------

CITIES = [
    ("Harbourview", "loc:CA-ON", "harbourview"),
    ("Lakeshore", "loc:CA-ON", "lakeshore"),
    ("Riverbend", "loc:CA-QC", "riverbend"),
    ("Pinecrest", "loc:CA-BC", "pinecrest"),
    ("Prairie Falls", "loc:CA-SK", "prairiefalls"),
    ("Maple Hollow", "loc:CA-MB", "maplehollow"),
    ("Fundy Point", "loc:CA-NB", "fundypoint"),
    ("Cedar Bay", "loc:CA-NS", "cedarbay"),
    ("Foothills", "loc:CA-AB", "foothills"),
    ("Northgate", "loc:CA-ON", "northgate"),
    ("Saint-Laurent-du-Lac", "loc:CA-QC", "stlaurentdulac"),
    ("Granite Harbour", "loc:CA-NL", "graniteharbour"),
]
VENDORS = [
    ("Northwind Mobility Analytics Inc.", "northwind"),
    ("Civic Sensorworks Ltd.", "civicsensor"),
    ("Aurora Urban Data Corp.", "auroraurban"),
    ("Boreal Smart Infrastructure Inc.", "boreal"),
    ("Kestrel Traffic Systems Ltd.", "kestrel"),
    ("Tidewater Environmental Monitoring Inc.", "tidewater"),
    ("Lumen Streetlight Networks Inc.", "lumen"),
    ("Wayfarer Transit Technologies Ltd.", "wayfarer"),
    ("Quarry Lane Analytics Inc.", "quarrylane"),
    ("Polaris Parking Solutions Corp.", "polaris"),
    ("Evergreen Waste Logistics Inc.", "evergreen"),
    ("Signal Hill Connectivity Ltd.", "signalhill"),
]
PRODUCTS = [
    "Curbside Mobility Insights",
    "Street Pulse",
    "Air Watch",
    "Park Smart",
    "Transit Flow",
    "Public Wi-Fi Analytics",
    "Noise Monitor",
    "Bin Sense",
    "Crossing Counter",
    "Light Grid",
    "Snow Route Tracker",
    "Service Request Hub",
]
FIRST = [
    "Amira",
    "Jean",
    "Priya",
    "Louis",
    "Mei",
    "Daniel",
    "Fatima",
    "Olivier",
    "Grace",
    "Tariq",
    "Nadia",
    "Sean",
]
LAST = [
    "Okafor",
    "Tremblay",
    "Singh",
    "Gagnon",
    "Chen",
    "MacDonald",
    "Haddad",
    "Roy",
    "Wilson",
    "Nguyen",
    "Côté",
    "Murphy",
]
CLOUDS = [
    ("Laurentian Cloud Services Ltd.", ["loc:CA-ON", "loc:CA-QC"]),
    ("Maple Leaf Hosting Inc.", ["loc:CA-QC", "loc:CA-ON"]),
    ("Pacific Rim Datacentres Ltd.", ["loc:CA-BC", "loc:CA-AB"]),
    ("Atlantic Cloud Co-operative", ["loc:CA-NS", "loc:CA-NB"]),
]

# Data categories a city system may hold: overrides applied to one of the example's categories.
CATEGORY_POOL: list[tuple[str, str, dict[str, Any]]] = [
    ("trip_records", "trip_records", {}),
    ("vehicle_status", "vehicle_status", {}),
    (
        "wifi_presence",
        "trip_records",
        {
            "label": "Wi-Fi presence counts",
            "description": "Pseudonymised MAC addresses of devices seen by public Wi-Fi access points, hashed with a daily salt.",
            "pd_categories": ["pd:MACAddress", "pd:Location"],
            "collection_tech": ["dtpr:identifiable_wifi_sensor"],
            "purposes": ["dpv:ServiceUsageAnalytics", "dtpr:planning_decision_making"],
            "legal_basis": ["ocp:MunicipalStatutoryAuthority"],
            "deidentification": {
                "applied": True,
                "point": "at_source",
                "techniques": ["dpv:HashFunctions", "dpv:Pseudonymisation"],
            },
        },
    ),
    (
        "air_quality",
        "vehicle_status",
        {
            "label": "Air-quality readings",
            "description": "PM2.5, NO2 and ozone readings every five minutes from street-level sensors.",
            "collection_tech": ["dtpr:air_quality"],
            "purposes": ["dpv:CombatClimateChange", "dtpr:ecology", "dpv:ProvideOfficialStatistics"],
        },
    ),
    (
        "video_counts",
        "trip_records",
        {
            "label": "Intersection video counts",
            "description": "Counts of pedestrians, cyclists and vehicles per movement, computed on the camera; no image leaves the device.",
            "nature": "dpv:PseudonymisedData",
            "pd_categories": ["pd:Picture"],
            "sensitive": False,
            "collection_tech": ["dtpr:de_identified_video"],
            "source": "dpv:DataControllerDataSource",
            "purposes": ["dpv:ImproveTransportMobility", "dtpr:safety_security"],
            "deidentification": {
                "applied": True,
                "point": "at_source",
                "techniques": ["dpv:DataRedaction", "dpv:Aggregate"],
            },
        },
    ),
    (
        "parking_sessions",
        "trip_records",
        {
            "label": "Paid parking sessions",
            "description": "Licence plate, zone, start and end of each paid parking session started in the mobile app.",
            "pd_categories": ["pd:VehicleLicense", "pd:Transaction", "pd:Location"],
            "collection_tech": ["ocp:mobile_app"],
            "source": "dpv:DataSubjectDataSource",
            "purposes": ["dpv:PaymentManagement", "dpv:ServiceProvision"],
            "legal_basis": ["dpv:Contract"],
        },
    ),
    (
        "service_requests",
        "trip_records",
        {
            "label": "Service requests from residents",
            "description": "Name, e-mail address, location and text of requests made through the 311 web form.",
            "pd_categories": ["pd:Name", "pd:EmailAddress", "pd:PhysicalAddress"],
            "sensitive": False,
            "collection_tech": ["ocp:web_form"],
            "source": "dpv:DataSubjectDataSource",
            "purposes": ["dpv:ImprovePublicServices", "dtpr:agency_interaction"],
            "deidentification": {"applied": False},
        },
    ),
    (
        "traffic_counts",
        "vehicle_status",
        {
            "label": "Induction-loop traffic counts",
            "description": "Vehicle counts and occupancy per lane every minute from induction loops.",
            "collection_tech": ["dtpr:induction_loop"],
            "purposes": ["dpv:ImproveTransportMobility", "dtpr:mobility"],
        },
    ),
    (
        "noise_levels",
        "vehicle_status",
        {
            "label": "Noise levels",
            "description": "A-weighted sound levels (LAeq, 1 minute) measured on the sensor; no audio is recorded.",
            "collection_tech": ["dtpr:microphone"],
            "purposes": ["dpv:ImprovePublicServices", "dtpr:ecology"],
        },
    ),
    ("aggregate_counts", "aggregate_counts", {}),
]
PERSONAL_NATURES = {"dpv:PersonalData", "dpv:PseudonymisedData", "dpv:SensitivePersonalData"}


def person(r: random.Random) -> str:
    return f"{r.choice(FIRST)} {r.choice(LAST)}"


def pick_categories(
    r: random.Random, example_cats: dict[str, dict[str, Any]], lo: int, hi: int, must: tuple[str, ...] = ()
) -> list[dict[str, Any]]:
    pool = [c for c in CATEGORY_POOL if c[0] not in must]
    n = r.randint(lo, hi)
    chosen = [c for c in CATEGORY_POOL if c[0] in must] + r.sample(pool, max(0, n - len(must)))
    # keep the derived aggregate last, so that it can name what it is derived from
    chosen.sort(key=lambda c: c[0] == "aggregate_counts")
    cats: list[dict[str, Any]] = []
    for cid, base, over in chosen:
        cat = copy.deepcopy(example_cats[base])
        cat.update(copy.deepcopy(over))
        cat["id"] = cid
        cat["retention_ref"] = cid
        if cid == "aggregate_counts":
            sources = [c["id"] for c in cats if c.get("nature") in PERSONAL_NATURES]
            if sources:
                cat["derived_from"] = sources[:2]
            else:
                cat["origin"] = "collected"
                cat.pop("derived_from", None)
                cat.pop("sharing", None) if r.random() < 0.5 else None
        cats.append(cat)
    return cats


def localise_storage(r: random.Random, cats: list[dict[str, Any]], jurisdiction: str) -> str:
    cloud, _regions = r.choice(CLOUDS)
    for cat in cats:
        st = cat.get("storage")
        if not isinstance(st, dict):
            continue
        st["locations"] = [jurisdiction]
        st["cloud_provider"] = cloud
        if st.get("cross_border"):
            st["backup_locations"] = ["loc:CA"]
        else:
            st["backup_locations"] = [jurisdiction]
    return cloud


# --- data manifests ---------------------------------------------------------------------------


def manifest_mistakes() -> list[tuple[str, Callable[[dict[str, Any], random.Random], None]]]:
    def cats(doc: dict[str, Any]) -> list[dict[str, Any]]:
        return doc["data_categories"]

    def personal(doc: dict[str, Any]) -> list[dict[str, Any]]:
        return [c for c in cats(doc) if c.get("nature") in PERSONAL_NATURES] or cats(doc)

    def m_drop_system_name(d, r):
        d["system"].pop("name", None)

    def m_revision_text(d, r):
        d["manifest_revision"] = "three"

    def m_unknown_member(d, r):
        d["vendor_notes"] = "See the attached brochure."

    def m_generic_purpose(d, r):
        r.choice(cats(d))["purposes"] = ["dpv:Purpose"]

    def m_sells_data(d, r):
        r.choice(personal(d))["purposes"].append("dpv:SellDataToThirdParties")

    def m_unknown_purpose(d, r):
        r.choice(cats(d))["purposes"].append("dpv:ImproveEverything")

    def m_us_storage(d, r):
        st = r.choice(cats(d)).get("storage", {})
        st["locations"] = ["loc:US-VA"]
        st["cross_border"] = False

    def m_no_deid(d, r):
        r.choice(personal(d))["deidentification"] = {"applied": False}

    def m_open_no_licence(d, r):
        c = r.choice(cats(d))
        c["open_data"] = {"eligible": True}

    def m_slow_breach(d, r):
        d["security"]["breach_notification_hours"] = 168

    def m_old_tls(d, r):
        d["security"]["min_tls_version"] = "1.0"

    def m_no_privacy_officer(d, r):
        d["accountable_organization"].pop("privacy_officer", None)

    def m_no_pia(d, r):
        d["assessments"]["pia"] = {"completed": False}

    def m_no_portability(d, r):
        d.pop("portability", None)

    def m_vendor_owns(d, r):
        d["ownership"]["data_owner"] = "vendor"

    def m_bad_email(d, r):
        d["accountable_organization"]["contact_email"] = "mobility-data at city"

    def m_no_legal_basis(d, r):
        r.choice(personal(d)).pop("legal_basis", None)

    def m_attestation_no(d, r):
        att = d.get("attestations") or {}
        if att:
            att[r.choice(sorted(att))]["answer"] = "no"

    return [
        (f.__name__[2:], f)
        for f in (
            m_drop_system_name,
            m_revision_text,
            m_unknown_member,
            m_generic_purpose,
            m_sells_data,
            m_unknown_purpose,
            m_us_storage,
            m_no_deid,
            m_open_no_licence,
            m_slow_breach,
            m_old_tls,
            m_no_privacy_officer,
            m_no_pia,
            m_no_portability,
            m_vendor_owns,
            m_bad_email,
            m_no_legal_basis,
            m_attestation_no,
        )
    ]


MANIFEST_MISTAKES = manifest_mistakes()


def make_manifest(
    example: dict[str, Any],
    r: random.Random,
    *,
    cats: list[dict[str, Any]] | None = None,
    city: tuple[str, str, str] | None = None,
    vendor: tuple[str, str] | None = None,
    product: str | None = None,
    system_id: str | None = None,
) -> dict[str, Any]:
    doc = copy.deepcopy(example)
    example_cats = {c["id"]: c for c in example["data_categories"]}
    city = city or r.choice(CITIES)
    vendor = vendor or r.choice(VENDORS)
    product = product or r.choice(PRODUCTS)
    cname, jur, cslug = city
    vname, vslug = vendor
    sid = system_id or f"{vslug}-{cslug}-{r.randint(1, 9999):04d}"
    doc["standard"] = r.choice(
        ["ocp-data-governance@1.0", "ocp-data-governance@1.0", "ocp-data-governance@1.0.0"]
    )
    doc["manifest_revision"] = r.randint(1, 12)
    doc["last_updated"] = f"2026-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}"
    s = doc["system"]
    s.update(
        id=sid,
        name=product,
        version=f"{r.randint(1, 5)}.{r.randint(0, 20)}.{r.randint(0, 9)}",
        vendor=vname,
        website=f"https://{vslug}.example/{sid}",
    )
    s["description"] = (
        f"{product} for the City of {cname}: collects and processes data in the public realm "
        f"and gives City staff and the public the insights they need."
    )
    ao = doc["accountable_organization"]
    ao.update(
        name=f"City of {cname}",
        jurisdiction=jur,
        contact_email=f"data@{cslug}.example",
        website=f"https://www.{cslug}.example",
    )
    ao["privacy_officer"] = {
        "name": person(r),
        "title": "Access and Privacy Officer, City Clerk's Office",
        "email": f"privacy@{cslug}.example",
    }
    ops = doc["operators"]
    ops[0].update(name=vname, jurisdiction=jur, contact_email=f"privacy@{vslug}.example")
    if cats is None:
        cats = pick_categories(r, example_cats, 1, 6)
    doc["data_categories"] = cats
    cloud = localise_storage(r, cats, jur)
    ops[1]["name"] = cloud
    if r.random() < 0.3:
        ops.pop()
    for cat in cats:
        for sh in cat.get("sharing", []) or []:
            sh["jurisdiction"] = jur
    doc["portability"]["export_endpoint"] = "/v1/exports/{category}"
    doc["portability"]["exit_plan_days"] = r.choice([30, 45, 60, 90])
    doc["portability"]["exit_plan_url"] = f"https://{vslug}.example/{cslug}/exit-plan.pdf"
    doc["assessments"]["pia"]["date"] = f"2026-0{r.randint(1, 9)}-{r.randint(10, 28)}"
    doc["assessments"]["pia"]["url"] = f"https://www.{cslug}.example/privacy/pia/{sid}"
    doc["transparency"]["public_notice_url"] = f"https://www.{cslug}.example/{sid}-data"
    doc["transparency"]["dtpr_datachain_url"] = f"https://www.{cslug}.example/{sid}-data/dtpr"
    doc["transparency"]["sensor_registry_id"] = f"{cslug[:2].upper()}-TECH-{r.randint(1, 999):04d}"
    doc["transparency"]["languages"] = ["en", "fr"] if r.random() < 0.7 else ["fr", "en"]
    doc["security"]["breach_contact"]["email"] = f"security@{vslug}.example"
    doc["security"]["breach_contact"]["phone"] = f"+1-{r.randint(200, 999)}-555-{r.randint(0, 9999):04d}"
    doc["security"]["breach_notification_hours"] = r.choice([12, 24, 24, 48, 72])
    doc["security"]["min_tls_version"] = r.choice(["1.2", "1.2", "1.3"])
    for att in (doc.get("attestations") or {}).values():
        att["evidence_url"] = att["evidence_url"].replace("northwind", vslug)
    return doc


def apply_mistakes(
    doc: dict[str, Any],
    r: random.Random,
    mistakes: list[tuple[str, Callable[[dict[str, Any], random.Random], None]]],
) -> list[str]:
    if r.random() >= INVALID_SHARE:
        return []
    names = []
    for name, fn in r.sample(mistakes, r.choice([1, 1, 1, 2, 2, 3])):
        fn(doc, r)
        names.append(name)
    return names


def break_syntax(text: str, r: random.Random) -> tuple[str, str]:
    """A file that does not load: the kinds of mistakes people make by hand."""
    lines = text.splitlines(keepends=True)
    kind = r.choice(["duplicate-key", "tab-indent", "unclosed-quote", "bad-indent"])
    i = next((n for n, line in enumerate(lines) if line.startswith("system:")), 1)
    if kind == "duplicate-key":
        lines.insert(i + 2, lines[i + 1])
    elif kind == "tab-indent":
        lines[i + 1] = "\t" + lines[i + 1].lstrip(" ")
    elif kind == "unclosed-quote":
        lines[i + 1] = lines[i + 1].rstrip("\n") + ' "unfinished\n'
    else:
        lines[i + 1] = "   " + lines[i + 1]
    return "".join(lines), "syntax-" + kind


def write_doc(
    path: Path, header: str, doc: Any, r: random.Random, mistakes: list[str]
) -> tuple[int, list[str]]:
    text = header + dump_yaml(doc)
    if r.random() < SYNTAX_SHARE:
        text, kind = break_syntax(text, r)
        mistakes = [*mistakes, kind]
    data = text.encode()
    path.write_bytes(data)
    return len(data), mistakes


def gen_manifests(sizes: tuple[int, ...]) -> dict[str, Any]:
    example = load_yaml(EXAMPLE / "data-manifest.yaml")
    biggest = max(sizes)
    dirs = {n: OUT / f"manifests-{n}" for n in sizes}
    for d in dirs.values():
        shutil.rmtree(d, ignore_errors=True)
        d.mkdir(parents=True)
    info: dict[int, dict[str, Any]] = {
        n: {"files": 0, "bytes": 0, "invalid": 0, "unparseable": 0} for n in sizes
    }
    for i in range(biggest):
        r = rng_for("manifest", i)
        doc = make_manifest(example, r)
        mistakes = apply_mistakes(doc, r, MANIFEST_MISTAKES)
        header = (
            f"# Data manifest of {doc['system'].get('name', 'a system')} "
            f"({doc['system']['id']}), generated for benchmarks ({i:05d}).\n"
        )
        name = f"manifest-{i:05d}.yaml"
        first = dirs[min(n for n in sizes if n > i)] / name
        size, mistakes = write_doc(first, header, doc, r, mistakes)
        for n, d in dirs.items():
            if i < n:
                if d / name != first:
                    shutil.copyfile(first, d / name)
                info[n]["files"] += 1
                info[n]["bytes"] += size
                info[n]["invalid"] += bool(mistakes)
                info[n]["unparseable"] += any(m.startswith("syntax-") for m in mistakes)
    return {f"manifests-{n}": v for n, v in info.items()}


# --- retention policies -----------------------------------------------------------------------

RETENTION_BY_CATEGORY = {
    "trip_records": ("last_use", "P1Y", "P1Y", "P1Y", "dpv:Erase"),
    "vehicle_status": ("collection", None, "P90D", "P90D", "dpv:Delete"),
    "wifi_presence": ("collection", None, "P30D", "P30D", "dpv:Erase"),
    "air_quality": ("collection", None, "P10Y", None, "ocp:ArchiveUnderRecordsSchedule"),
    "video_counts": ("creation", None, "P2Y", "P2Y", "dpv:Delete"),
    "parking_sessions": ("account_closure", "P1Y", "P2Y", "P7Y", "dpv:Erase"),
    "service_requests": ("decision", "P1Y", "P2Y", "P2Y", "dpv:Erase"),
    "traffic_counts": ("collection", None, "P5Y", None, "ocp:ArchiveUnderRecordsSchedule"),
    "noise_levels": ("collection", None, "P3Y", "P3Y", "dpv:Delete"),
    "aggregate_counts": ("creation", None, "P5Y", None, "ocp:ArchiveUnderRecordsSchedule"),
}


def retention_mistakes() -> list[tuple[str, Callable[[dict[str, Any], random.Random], None]]]:
    def rules(d):
        return d["rules"]

    def m_min_over_max(d, r):
        rule = r.choice(rules(d))
        rule["minimum_retention"] = "P10Y"
        rule["maximum_retention"] = "P1Y"

    def m_prose_duration(d, r):
        r.choice(rules(d))["active_retention"] = "1 year"

    def m_no_review_date(d, r):
        d.pop("review_date", None)

    def m_unknown_trigger(d, r):
        r.choice(rules(d))["trigger"] = "whenever_needed"

    def m_unknown_disposition(d, r):
        r.choice(rules(d)).setdefault("disposition", {})["method"] = "dpv:Forget"

    def m_backup_no_lag(d, r):
        r.choice(rules(d)).get("backups", {}).pop("max_backup_lag", None)

    def m_endless_personal(d, r):
        rule = r.choice(rules(d))
        rule["personal_information"] = True
        rule["duration_type"] = "dpv:EndlessDuration"

    def m_slow_deletion(d, r):
        d["contract_end"]["deletion_after_return"] = "P2Y"

    def m_no_return(d, r):
        d["contract_end"]["return_to_city"] = False

    def m_no_disposition(d, r):
        r.choice(rules(d)).pop("disposition", None)

    def m_no_legal_holds(d, r):
        d.pop("legal_holds", None)

    def m_bad_jurisdiction(d, r):
        r.choice(rules(d))["jurisdiction"] = "Ontario"

    def m_breach_short(d, r):
        d["breach_records_retention"] = "P6M"

    return [
        (f.__name__[2:], f)
        for f in (
            m_min_over_max,
            m_prose_duration,
            m_no_review_date,
            m_unknown_trigger,
            m_unknown_disposition,
            m_backup_no_lag,
            m_endless_personal,
            m_slow_deletion,
            m_no_return,
            m_no_disposition,
            m_no_legal_holds,
            m_bad_jurisdiction,
            m_breach_short,
        )
    ]


RETENTION_MISTAKES = retention_mistakes()


def make_retention(
    example: dict[str, Any],
    r: random.Random,
    cats: list[dict[str, Any]],
    *,
    system_id: str,
    city: tuple[str, str, str],
    vendor: tuple[str, str],
) -> dict[str, Any]:
    doc = copy.deepcopy(example)
    templates = {ru["data_category"]: ru for ru in example["rules"]}
    cname, jur, cslug = city
    vname, vslug = vendor
    doc["standard"] = r.choice(["ocp-data-retention@1.0", "ocp-data-retention@1.0.0"])
    doc["policy_version"] = f"{r.randint(1, 3)}.{r.randint(0, 9)}.0"
    doc["title"] = f"{system_id}: data retention and disposition schedule"
    doc["system_id"] = system_id
    year = r.choice([2026, 2026, 2027])
    doc["effective_date"] = f"{year}-{r.randint(1, 12):02d}-01"
    doc["review_date"] = f"{year + 1}-{r.randint(1, 12):02d}-01"
    doc["owner"] = {
        "name": f"{vname}, Privacy Office",
        "role": "Privacy Officer",
        "contact_email": f"privacy@{vslug}.example",
    }
    rules = []
    for cat in cats:
        cid = cat["id"]
        trigger, mn, act, mx, method = RETENTION_BY_CATEGORY[cid]
        personal = cat.get("nature") in PERSONAL_NATURES
        base = templates[
            "trip_records" if personal else ("aggregate_counts" if mx is None else "vehicle_status")
        ]
        rule = copy.deepcopy(base)
        rule["data_category"] = cid
        rule["description"] = cat.get("description", cid)
        rule["personal_information"] = personal
        rule["raw_location"] = cid in ("trip_records", "wifi_presence", "parking_sessions")
        rule["jurisdiction"] = jur
        rule["trigger"] = trigger
        for key, val in (("minimum_retention", mn), ("active_retention", act), ("maximum_retention", mx)):
            if val is None:
                rule.pop(key, None)
            else:
                rule[key] = val
        rule["disposition"]["method"] = method
        rule.get("backups", {})["locations"] = [jur]
        if rule.get("derived_data", {}).get("policy") == "own_rule":
            derived = [c["id"] for c in cats if cid in (c.get("derived_from") or [])]
            if derived:
                rule["derived_data"]["categories"] = derived
            else:
                rule["derived_data"] = {"policy": "inherits"}
        rule["retention_basis"] = (
            f"City of {cname} records retention schedule and the applicable privacy law."
        )
        rules.append(rule)
    doc["rules"] = rules
    doc["legal_holds"]["process_url"] = f"https://{vslug}.example/{cslug}/legal-holds"
    doc["contract_end"]["deletion_after_return"] = r.choice(["P30D", "P30D", "P60D", "P90D"])
    doc["transparency"] = {
        "notice_url": f"https://www.{cslug}.example/{system_id}-data",
        "datachain_url": f"https://www.{cslug}.example/{system_id}-data/dtpr",
    }
    return doc


def gen_retention(sizes: tuple[int, ...]) -> dict[str, Any]:
    example_m = load_yaml(EXAMPLE / "data-manifest.yaml")
    example_r = load_yaml(EXAMPLE / "retention-policy.yaml")
    example_cats = {c["id"]: c for c in example_m["data_categories"]}
    biggest = max(sizes)
    dirs = {n: OUT / f"retention-{n}" for n in sizes}
    for d in dirs.values():
        shutil.rmtree(d, ignore_errors=True)
        d.mkdir(parents=True)
    info = {n: {"files": 0, "bytes": 0, "invalid": 0, "unparseable": 0} for n in sizes}
    for i in range(biggest):
        r = rng_for("retention", i)
        city, vendor = r.choice(CITIES), r.choice(VENDORS)
        sid = f"{vendor[1]}-{city[2]}-{r.randint(1, 9999):04d}"
        cats = pick_categories(r, example_cats, 1, 6)
        doc = make_retention(example_r, r, cats, system_id=sid, city=city, vendor=vendor)
        mistakes = apply_mistakes(doc, r, RETENTION_MISTAKES)
        header = f"# Retention policy of {sid}, generated for benchmarks ({i:05d}).\n"
        name = f"retention-{i:05d}.yaml"
        first = dirs[min(n for n in sizes if n > i)] / name
        size, mistakes = write_doc(first, header, doc, r, mistakes)
        for n, d in dirs.items():
            if i < n:
                if d / name != first:
                    shutil.copyfile(first, d / name)
                info[n]["files"] += 1
                info[n]["bytes"] += size
                info[n]["invalid"] += bool(mistakes)
                info[n]["unparseable"] += any(m.startswith("syntax-") for m in mistakes)
    return {f"retention-{n}": v for n, v in info.items()}


# --- OpenAPI ----------------------------------------------------------------------------------

OPS_ALL = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


def openapi_mistakes() -> list[tuple[str, Callable[[dict[str, Any], random.Random], None]]]:
    def operations(d):
        out = []
        for item in d["paths"].values():
            for m in OPS_ALL:
                if isinstance(item, dict) and m in item:
                    out.append(item[m])
        return out

    def m_http_server(d, r):
        d["servers"][0]["url"] = d["servers"][0]["url"].replace("https://", "http://")

    def m_no_operation_id(d, r):
        r.choice(operations(d)).pop("operationId", None)

    def m_anonymous(d, r):
        op = r.choice([o for o in operations(d) if not o.get("x-ocp-public")] or operations(d))
        op["security"] = []

    def m_no_categories(d, r):
        r.choice(operations(d)).pop("x-ocp-data-categories", None)

    def m_no_contact(d, r):
        d["info"].pop("contact", None)

    def m_key_in_query(d, r):
        d["components"]["securitySchemes"]["legacyKey"] = {"type": "apiKey", "in": "query", "name": "api_key"}

    def m_basic_auth(d, r):
        d["components"]["securitySchemes"]["staffLogin"] = {"type": "http", "scheme": "basic"}

    def m_no_rate_limit(d, r):
        op = r.choice(operations(d))
        op.get("responses", {}).pop("429", None)

    def m_xml_only(d, r):
        op = r.choice(operations(d))
        ok = op.get("responses", {}).get("200")
        if isinstance(ok, dict) and "content" in ok:
            ok["content"] = {"application/xml": {"schema": {"type": "string"}}}

    def m_unknown_category(d, r):
        r.choice(operations(d))["x-ocp-data-categories"] = ["everything_we_have"]

    return [
        (f.__name__[2:], f)
        for f in (
            m_http_server,
            m_no_operation_id,
            m_anonymous,
            m_no_categories,
            m_no_contact,
            m_key_in_query,
            m_basic_auth,
            m_no_rate_limit,
            m_xml_only,
            m_unknown_category,
        )
    ]


OPENAPI_MISTAKES = openapi_mistakes()

NOUNS = [
    "trip",
    "vehicle",
    "zone",
    "curb-space",
    "parking-session",
    "permit",
    "sensor",
    "reading",
    "camera",
    "intersection",
    "signal-plan",
    "bus-stop",
    "route",
    "bike-lane",
    "street-light",
    "waste-bin",
    "pickup",
    "service-request",
    "work-order",
    "asset",
    "inspection",
    "tree",
    "hydrant",
    "meter",
    "charging-station",
    "charging-session",
    "noise-sample",
    "air-sample",
    "incident",
    "road-closure",
    "snow-route",
    "plow",
    "event",
    "venue",
    "wifi-node",
    "count-station",
    "transit-vehicle",
    "alert",
]
GROUPS = [
    "mobility",
    "environment",
    "operations",
    "parking",
    "transit",
    "utilities",
    "safety",
    "public-works",
]
PROP_KINDS: list[tuple[str, dict[str, Any]]] = [
    ("zone_id", {"type": "string", "description": "Identifier of the city's zone."}),
    (
        "observed_at",
        {"type": "string", "format": "date-time", "description": "When the value was observed (RFC 3339)."},
    ),
    ("status", {"type": "string", "enum": ["active", "inactive", "maintenance", "retired"]}),
    ("count", {"type": "integer", "minimum": 0, "description": "Number of items observed in the interval."}),
    ("value", {"type": "number", "description": "Measured value in the unit given by `unit`."}),
    (
        "unit",
        {"type": "string", "description": "UCUM unit of the value.", "examples": ["ug/m3", "dB(A)", "km/h"]},
    ),
    ("location", {"$ref": "#/components/schemas/GeoPoint"}),
    ("address", {"$ref": "#/components/schemas/Address"}),
    ("tags", {"type": "array", "items": {"type": "string"}, "description": "Free labels set by City staff."}),
    (
        "notes",
        {
            "type": "string",
            "maxLength": 2000,
            "description": "Comment entered by the operator; may not contain personal information.",
        },
    ),
    ("created_at", {"type": "string", "format": "date-time"}),
    ("updated_at", {"type": "string", "format": "date-time"}),
    (
        "owner_department",
        {"type": "string", "enum": ["transportation", "environment", "public-works", "parks", "clerk"]},
    ),
    ("source_system", {"type": "string", "description": "System of record the item comes from."}),
    ("quality_flag", {"type": "string", "enum": ["raw", "validated", "estimated", "suspect"]}),
    ("links", {"$ref": "#/components/schemas/Links"}),
]


def pascal(noun: str) -> str:
    return "".join(p.capitalize() for p in noun.split("-"))


def openapi_base(example: dict[str, Any], title: str) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": copy.deepcopy(example["info"]),
        "servers": copy.deepcopy(example["servers"]),
        "security": copy.deepcopy(example["security"]),
        "tags": [],
        "paths": {},
        "components": copy.deepcopy(example["components"]),
    }
    doc["info"]["title"] = title
    comps = doc["components"]
    schemas = comps["schemas"]
    schemas["GeoPoint"] = {
        "type": "object",
        "description": "A WGS 84 point rounded to four decimal places.",
        "required": ["lat", "lon"],
        "properties": {
            "lat": {
                "type": "number",
                "minimum": -90,
                "maximum": 90,
                "x-ocp-precision": {"decimal_places": 4},
            },
            "lon": {
                "type": "number",
                "minimum": -180,
                "maximum": 180,
                "x-ocp-precision": {"decimal_places": 4},
            },
        },
    }
    schemas["Address"] = {
        "type": "object",
        "description": "Civic address of a city asset (not of a person).",
        "properties": {
            "street": {"type": "string"},
            "number": {"type": "string"},
            "postal_code": {"type": "string", "pattern": "^[A-Z][0-9][A-Z] ?[0-9][A-Z][0-9]$"},
        },
    }
    schemas["Links"] = {
        "type": "object",
        "description": "Hypermedia links of a resource.",
        "properties": {
            "self": {"type": "string", "format": "uri"},
            "next": {"type": ["string", "null"], "format": "uri"},
        },
    }
    comps["parameters"]["ItemId"] = {
        "name": "id",
        "in": "path",
        "required": True,
        "description": "Identifier of the item.",
        "schema": {"type": "string", "format": "uuid"},
    }
    comps["parameters"]["Limit"] = {
        "name": "limit",
        "in": "query",
        "required": False,
        "description": "Largest number of items in one page.",
        "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100},
    }
    comps["responses"]["NoContent"] = {"description": "Done; nothing to return."}
    return doc


def add_resource(doc: dict[str, Any], r: random.Random, k: int, categories: list[tuple[str, bool]]) -> int:
    """Five operations on one resource: list, create, read, replace, delete."""
    noun = NOUNS[k % len(NOUNS)]
    group = GROUPS[(k // len(NOUNS)) % len(GROUPS)]
    version = 1 + k // (len(NOUNS) * len(GROUPS))
    name = pascal(noun) + pascal(group) + (f"V{version}" if version > 1 else "")
    base = f"/v{version}/{group}/{noun}s"
    cat, personal = categories[k % len(categories)]
    public = not personal and r.random() < 0.5
    schemas = doc["components"]["schemas"]
    props: dict[str, Any] = {
        "id": {"type": "string", "format": "uuid", "description": f"Identifier of the {noun}."}
    }
    for pname, pschema in r.sample(PROP_KINDS, r.randint(10, 16)):
        p = copy.deepcopy(pschema)
        if "$ref" not in p:
            p["x-ocp-data-categories"] = [cat]
            p.setdefault("description", f"{pname.replace('_', ' ').capitalize()} of the {noun}.")
        props[pname] = p
    schemas[name] = {
        "type": "object",
        "description": f"One {noun.replace('-', ' ')} as held for the City. Values are validated on "
        f"ingestion; fields tagged with a personal data category are only returned to "
        f"clients whose scope covers that category, and are removed from open data.",
        "x-ocp-data-categories": [cat],
        "required": ["id", *list(props)[1:3]],
        "properties": props,
    }
    schemas[name + "Page"] = {
        "type": "object",
        "required": ["items"],
        "properties": {
            "items": {"type": "array", "items": {"$ref": f"#/components/schemas/{name}"}},
            "next_page_token": {
                "type": ["string", "null"],
                "description": "Token of the next page, or null on the last page.",
            },
        },
    }
    doc["tags"].append(
        {"name": f"{group}-{noun}s", "description": f"The {noun.replace('-', ' ')}s of the {group} domain."}
    )

    def op(
        verb: str,
        summary: str,
        ok: str,
        ok_body: str | None,
        scope: str,
        extra: dict[str, Any] | None = None,
        body: bool = False,
    ) -> dict[str, Any]:
        o: dict[str, Any] = {
            "operationId": f"{verb}{name}",
            "summary": summary,
            "description": f"{summary} of the {group} domain. Results follow the City's data-sharing "
            f"agreement; personal information is only returned to authorised staff.",
            "tags": [f"{group}-{noun}s"],
            "x-ocp-data-categories": [cat],
            "x-ocp-purpose": ["dpv:ImprovePublicServices"],
        }
        if public and verb in ("list", "get"):
            o["x-ocp-public"] = True
            o["security"] = []
        else:
            o["security"] = [{"cityOAuth": [scope]}]
        o["externalDocs"] = {
            "description": f"How {group} data is collected, retained and shared",
            "url": f"https://docs.city-platform.example/{group}/{noun}s#{verb}",
        }
        if extra:
            o.update(extra)
        if body:
            o["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}},
            }
        resp: dict[str, Any] = {}
        if ok_body:
            resp[ok] = {
                "description": summary + ".",
                "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ok_body}"}}},
            }
        else:
            resp[ok] = {"$ref": "#/components/responses/NoContent"}
        resp["400"] = {"$ref": "#/components/responses/BadRequest"}
        if not o.get("x-ocp-public"):
            resp["401"] = {"$ref": "#/components/responses/Unauthorized"}
            resp["403"] = {"$ref": "#/components/responses/Forbidden"}
        resp["429"] = {"$ref": "#/components/responses/TooManyRequests"}
        o["responses"] = resp
        return o

    plural = noun.replace("-", " ") + "s"
    doc["paths"][base] = {
        "get": op(
            "list",
            f"List {plural}",
            "200",
            name + "Page",
            "api:read",
            {
                "parameters": [
                    {"$ref": "#/components/parameters/Since"},
                    {"$ref": "#/components/parameters/Until"},
                    {"$ref": "#/components/parameters/PageToken"},
                    {"$ref": "#/components/parameters/Limit"},
                ]
            },
        ),
        "post": op("create", f"Create a {noun.replace('-', ' ')}", "201", name, "api:write", body=True),
    }
    doc["paths"][base + "/{id}"] = {
        "parameters": [{"$ref": "#/components/parameters/ItemId"}],
        "get": op("get", f"Read one {noun.replace('-', ' ')}", "200", name, "api:read"),
        "put": op("replace", f"Replace a {noun.replace('-', ' ')}", "200", name, "api:write", body=True),
        "delete": op("delete", f"Delete a {noun.replace('-', ' ')}", "204", None, "api:write"),
    }
    return 5


def make_openapi(example: dict[str, Any], n_resources: int, seed_key: str) -> dict[str, Any]:
    r = rng_for("openapi", seed_key)
    doc = openapi_base(example, f"City Data Platform API ({seed_key})")
    scopes = doc["components"]["securitySchemes"]["cityOAuth"]["flows"]["clientCredentials"]["scopes"]
    scopes["api:write"] = "Create, replace and delete items."
    categories = [
        (c[0], c[2].get("nature", "dpv:PersonalData" if c[1] == "trip_records" else "x") in PERSONAL_NATURES)
        for c in CATEGORY_POOL
    ]
    for k in range(n_resources):
        add_resource(doc, r, k, categories)
    # the example's own paths: bulk export, catalogue, trips (with $refs into models/trip.yaml replaced)
    for p in ("/v1/exports/{category}", "/v1/catalog", "/v1/aggregates/trip-counts", "/v1/vehicles/status"):
        doc["paths"][p] = copy.deepcopy(example["paths"][p])
    doc["components"]["parameters"]["Category"]["schema"]["enum"] = [c for c, _ in categories]
    ex = doc["components"]["schemas"]["ExportPage"]["properties"]["records"]["items"]["oneOf"]
    ex[0] = {"$ref": "#/components/schemas/Trip"}
    doc["components"]["schemas"]["TripPage"]["properties"]["trips"]["items"] = {
        "$ref": "#/components/schemas/Trip"
    }
    doc["components"]["schemas"]["Trip"] = load_yaml(EXAMPLE / "models" / "trip.yaml")["Trip"]
    # a few realistic defects, about one per 100 operations
    for _ in range(max(1, n_resources // 20)):
        _name, fn = r.choice(OPENAPI_MISTAKES[1:])  # keep the https server: one defect type less to drown in
        fn(doc, r)
    return doc


def serialise(doc: Any, fmt: str) -> bytes:
    if fmt == "json":
        return (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode()
    return dump_yaml(doc).encode()


def gen_openapi(sizes_mb: tuple[int, ...]) -> dict[str, Any]:
    example = load_yaml(EXAMPLE / "openapi.yaml")
    info = {}
    probe = 40
    for fmt in ("yaml", "json"):
        per_resource = len(serialise(make_openapi(example, probe, "probe"), fmt)) / probe
        for mb in sizes_mb:
            target = mb * 1_000_000
            n = min((MAX_OPERATIONS - 4) // 5, max(1, round(target / per_resource)))  # + 4 example operations
            doc = make_openapi(example, n, f"{mb}MB")
            data = serialise(doc, fmt)
            path = OUT / f"openapi-generated-{mb}MB.{fmt}"
            path.write_bytes(data)
            ops = sum(
                1 for item in doc["paths"].values() for m in OPS_ALL if isinstance(item, dict) and m in item
            )
            info[path.name] = {
                "files": 1,
                "bytes": len(data),
                "operations": ops,
                "paths": len(doc["paths"]),
                "schemas": len(doc["components"]["schemas"]),
            }
    return info


# --- bids -------------------------------------------------------------------------------------


def gen_bids(count: int) -> dict[str, Any]:
    ex_m = load_yaml(EXAMPLE / "data-manifest.yaml")
    ex_r = load_yaml(EXAMPLE / "retention-policy.yaml")
    ex_o = load_yaml(EXAMPLE / "openapi.yaml")
    trip_model = (EXAMPLE / "models" / "trip.yaml").read_bytes()
    example_cats = {c["id"]: c for c in ex_m["data_categories"]}
    root = OUT / f"bids-{count}"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    totals = {"submissions": count, "files": 0, "bytes": 0, "invalid": 0, "unparseable": 0}
    categories = [
        (c[0], c[2].get("nature", "dpv:PersonalData" if c[1] == "trip_records" else "x") in PERSONAL_NATURES)
        for c in CATEGORY_POOL
    ]
    for i in range(count):
        r = rng_for("bid", i)
        city, vendor, product = r.choice(CITIES), r.choice(VENDORS), r.choice(PRODUCTS)
        sid = f"{vendor[1]}-{city[2]}-{i:03d}"
        cats = pick_categories(
            r, example_cats, 3, 7, must=("trip_records", "vehicle_status", "aggregate_counts")
        )
        manifest = make_manifest(ex_m, r, cats=cats, city=city, vendor=vendor, product=product, system_id=sid)
        retention = make_retention(ex_r, r, cats, system_id=sid, city=city, vendor=vendor)
        api = copy.deepcopy(ex_o)
        api["info"]["title"] = f"{product} API"
        api["info"]["contact"]["email"] = f"api-support@{vendor[1]}.example"
        api["servers"][0]["url"] = f"https://api.{sid}.{vendor[1]}.example"
        api["components"]["parameters"]["Category"]["schema"]["enum"] = [c["id"] for c in cats]
        extra = [c for c in cats if c["id"] not in ("trip_records", "vehicle_status", "aggregate_counts")]
        cat_personal = dict(categories)
        for k, c in enumerate(extra):
            add_resource(api, r, k * 7 + i, [(c["id"], cat_personal.get(c["id"], True))])
        api["components"]["securitySchemes"]["cityOAuth"]["flows"]["clientCredentials"]["scopes"][
            "api:write"
        ] = "Write."
        mistakes: list[str] = []
        if r.random() < INVALID_SHARE:
            which = r.choice(["manifest", "retention", "openapi", "cross"])
            if which == "manifest":
                name, fn = r.choice(MANIFEST_MISTAKES)
                fn(manifest, r)
            elif which == "retention":
                name, fn = r.choice(RETENTION_MISTAKES)
                fn(retention, r)
            elif which == "openapi":
                name, fn = r.choice(OPENAPI_MISTAKES)
                fn(api, r)
            else:
                name = "retention-missing-category"
                retention["rules"] = [
                    ru for ru in retention["rules"] if ru["data_category"] != "vehicle_status"
                ]
            mistakes.append(f"{which}:{name}")
        folder = root / f"bid-{i:03d}-{sid}"
        (folder / "models").mkdir(parents=True)
        (folder / "README.md").write_text(f"# {product}\n\nBid of {vendor[0]} for the City of {city[0]}.\n")
        files = {
            "data-manifest.yaml": f"# Data manifest of {product} ({sid}).\n" + dump_yaml(manifest),
            "retention-policy.yaml": f"# Retention policy of {product} ({sid}).\n" + dump_yaml(retention),
            "openapi.yaml": f"# API of {product} ({sid}).\n" + dump_yaml(api),
        }
        for fname, text in files.items():
            data = text.encode()
            (folder / fname).write_bytes(data)
            totals["files"] += 1
            totals["bytes"] += len(data)
        (folder / "models" / "trip.yaml").write_bytes(trip_model)
        totals["files"] += 1
        totals["bytes"] += len(trip_model)
        totals["invalid"] += bool(mistakes)
    return {f"bids-{count}": totals}


# --- main -------------------------------------------------------------------------------------


def generator_digest() -> str:
    h = hashlib.sha256(Path(__file__).read_bytes())
    for p in sorted(EXAMPLE.rglob("*.yaml")):
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="only the smaller sets used by run.py --quick")
    args = ap.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    inputs_file = OUT / "inputs.json"
    previous = json.loads(inputs_file.read_text()) if inputs_file.exists() else {}
    if previous.get("generator") != generator_digest():
        previous = {}
    sets: dict[str, Any] = dict(previous.get("sets", {}))
    m_sizes = QUICK["manifests"] if args.quick else MANIFEST_SETS
    r_sizes = QUICK["retention"] if args.quick else RETENTION_SETS
    o_sizes = QUICK["openapi_mb"] if args.quick else OPENAPI_SIZES_MB

    def todo(names: list[str]) -> bool:
        return any(n not in sets or not (OUT / n).exists() for n in names)

    steps = [
        ([f"manifests-{n}" for n in m_sizes], lambda: gen_manifests(m_sizes)),
        ([f"retention-{n}" for n in r_sizes], lambda: gen_retention(r_sizes)),
        ([f"bids-{BID_COUNT}"], lambda: gen_bids(BID_COUNT)),
        (
            [f"openapi-generated-{mb}MB.{f}" for mb in o_sizes for f in ("yaml", "json")],
            lambda: gen_openapi(o_sizes),
        ),
    ]
    for names, fn in steps:
        if todo(names):
            print(f"generate: {', '.join(names)}", file=sys.stderr, flush=True)
            sets.update(fn())
    inputs_file.write_text(
        json.dumps({"generator": generator_digest(), "seed": SEED, "sets": sets}, indent=2) + "\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
