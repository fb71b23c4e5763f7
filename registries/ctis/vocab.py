"""CTIS constants: member states, Annex IV categories, payload schema version."""

from __future__ import annotations

import datetime as dt

CODE = "ctis"
NAME = "EU CTIS"
PAYLOAD_SCHEMA_VERSION = "ctis-payload 1.0"
PAYLOAD_SCHEMA_ID = "https://trialdisclosure.org/schemas/ctis/v1/ctis-payload.schema.json"

# The Regulation, and with it CTIS, applies from 31 January 2022 (CTR Art. 99: six months after the
# Commission's notice that the EU portal is fully functional, published in July 2021). CTIS issues the EU
# trial number, so none carries an earlier year.
CTIS_LAUNCH = dt.date(2022, 1, 31)

# End of trial in a member state must be notified within 15 days (CTR Art. 37(1)).
END_OF_TRIAL_NOTICE_DAYS = 15
# Paediatric trials: summary of results within 6 months of the end of the trial (Paediatric Regulation
# (EC) No 1901/2006 Art. 46(1) for MAH-sponsored trials; Commission guideline 2012/C 302/03 for paediatric
# trials generally); CTR Art. 37(4) gives one year otherwise.
PAEDIATRIC_RESULTS_MONTHS = 6

# EU and EEA states (ISO 3166-1 alpha-2) with the English names ClinicalTrials.gov and the record use in
# contactsLocationsModule.locations[].country.
EEA_COUNTRY_NAMES: dict[str, str] = {
    "AT": "Austria", "BE": "Belgium", "BG": "Bulgaria", "CY": "Cyprus", "CZ": "Czechia",
    "DE": "Germany", "DK": "Denmark", "EE": "Estonia", "ES": "Spain", "FI": "Finland",
    "FR": "France", "GR": "Greece", "HR": "Croatia", "HU": "Hungary", "IE": "Ireland",
    "IS": "Iceland", "IT": "Italy", "LI": "Liechtenstein", "LT": "Lithuania", "LU": "Luxembourg",
    "LV": "Latvia", "MT": "Malta", "NL": "Netherlands", "NO": "Norway", "PL": "Poland",
    "PT": "Portugal", "RO": "Romania", "SE": "Sweden", "SI": "Slovenia", "SK": "Slovakia",
}  # fmt: skip
# Names ClinicalTrials.gov has used for the same states.
EEA_NAME_ALIASES: dict[str, str] = {"Czech Republic": "CZ", "The Netherlands": "NL"}

# Annex IV A.7 age categories, in the record's keys (euSection.ageGroupBreakdown) with the wording the
# EudraCT results XML guidance (EMA/492808/2013, Appendix 1) gives them.
AGE_CATEGORIES: dict[str, str] = {
    "inUtero": "In utero",
    "pretermNewborns": "Preterm newborn infants (gestational age < 37 wks)",
    "newborns": "Newborns (0-27 days)",
    "infantsAndToddlers": "Infants and toddlers (28 days-23 months)",
    "children": "Children (2-11 years)",
    "adolescents": "Adolescents (12-17 years)",
    "adults": "Adults (18-64 years)",
    "from65To84Years": "From 65 to 84 years",
    "from85Years": "85 years and over",
}
UNDER_18_CATEGORIES = (
    "inUtero",
    "pretermNewborns",
    "newborns",
    "infantsAndToddlers",
    "children",
    "adolescents",
)


def eea_code_for_name(name: str) -> str | None:
    """The ISO code of an EU/EEA state given by its English name, or None for any other country."""
    for code, known in EEA_COUNTRY_NAMES.items():
        if known.casefold() == name.strip().casefold():
            return code
    return EEA_NAME_ALIASES.get(name.strip())
