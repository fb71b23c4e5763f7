"""The words of the lay-summary PDF that are not the sponsor's: the ten Annex V item headings and the
labels around them, per language.

The items are those of Regulation (EU) No 536/2014, Annex V, which the Regulation words in every official
language of the Union. The English headings are the Annex's own wording; the others are our short
renderings of the same ten items (not copies of the Official Journal text), kept for the languages the
participant letters support (``submissions/letters/wording.py``). A summary in another language keeps the
English headings, marked as English so a screen reader pronounces them as such (PDF/UA-1, ISO 14289-1,
7.2: a change of natural language is declared).
"""

from __future__ import annotations

from dataclasses import dataclass

FALLBACK_LANGUAGE = "en"


@dataclass(frozen=True, slots=True)
class Headings:
    language: str
    sections: dict[str, str]
    eu_trial_number: str
    untitled: str
    logo_alt: str


HEADINGS: dict[str, Headings] = {
    "en": Headings(
        language="en",
        sections={
            "trialIdentification": "1. Clinical trial identification",
            "sponsorContact": "2. Name and contact details of the sponsor",
            "generalInformation": "3. General information about the clinical trial",
            "population": "4. Population of subjects",
            "investigationalProducts": "5. Investigational medicinal products used",
            "adverseReactions": "6. Description of adverse reactions and their frequency",
            "overallResults": "7. Overall results of the clinical trial",
            "commentsOnOutcome": "8. Comments on the outcome of the clinical trial",
            "followUpTrials": "9. Indication if follow up clinical trials are foreseen",
            "moreInformation": "10. Indication where additional information could be found",
        },
        eu_trial_number="EU trial number",
        untitled="Summary of the trial results",
        logo_alt="Logo of {sponsor}",
    ),
    "de": Headings(
        language="de",
        sections={
            "trialIdentification": "1. Identifizierung der klinischen Prüfung",
            "sponsorContact": "2. Name und Kontaktdaten des Sponsors",
            "generalInformation": "3. Allgemeine Informationen über die klinische Prüfung",
            "population": "4. Population der Prüfungsteilnehmer",
            "investigationalProducts": "5. Verwendete Prüfpräparate",
            "adverseReactions": "6. Beschreibung der Nebenwirkungen und ihrer Häufigkeit",
            "overallResults": "7. Gesamtergebnisse der klinischen Prüfung",
            "commentsOnOutcome": "8. Bemerkungen zum Ergebnis der klinischen Prüfung",
            "followUpTrials": "9. Angabe, ob Folgeprüfungen vorgesehen sind",
            "moreInformation": "10. Angabe, wo weitere Informationen zu finden sind",
        },
        eu_trial_number="EU-Prüfungsnummer",
        untitled="Zusammenfassung der Studienergebnisse",
        logo_alt="Logo von {sponsor}",
    ),
    "fr": Headings(
        language="fr",
        sections={
            "trialIdentification": "1. Identification de l'essai clinique",
            "sponsorContact": "2. Nom et coordonnées du promoteur",
            "generalInformation": "3. Informations générales sur l'essai clinique",
            "population": "4. Population des participants",
            "investigationalProducts": "5. Médicaments expérimentaux utilisés",
            "adverseReactions": "6. Description des effets indésirables et de leur fréquence",
            "overallResults": "7. Résultats globaux de l'essai clinique",
            "commentsOnOutcome": "8. Commentaires sur l'issue de l'essai clinique",
            "followUpTrials": "9. Essais cliniques de suivi prévus ou non",
            "moreInformation": "10. Où trouver des informations complémentaires",
        },
        eu_trial_number="Numéro UE de l'essai",
        untitled="Résumé des résultats de l'essai",
        logo_alt="Logo de {sponsor}",
    ),
    "es": Headings(
        language="es",
        sections={
            "trialIdentification": "1. Identificación del ensayo clínico",
            "sponsorContact": "2. Nombre y datos de contacto del promotor",
            "generalInformation": "3. Información general sobre el ensayo clínico",
            "population": "4. Población de participantes",
            "investigationalProducts": "5. Medicamentos en investigación utilizados",
            "adverseReactions": "6. Descripción de las reacciones adversas y su frecuencia",
            "overallResults": "7. Resultados generales del ensayo clínico",
            "commentsOnOutcome": "8. Comentarios sobre el resultado del ensayo clínico",
            "followUpTrials": "9. Indicación de si se prevén ensayos clínicos de seguimiento",
            "moreInformation": "10. Dónde encontrar información adicional",
        },
        eu_trial_number="Número UE del ensayo",
        untitled="Resumen de los resultados del ensayo",
        logo_alt="Logotipo de {sponsor}",
    ),
    "it": Headings(
        language="it",
        sections={
            "trialIdentification": "1. Identificazione della sperimentazione clinica",
            "sponsorContact": "2. Nome e recapiti del promotore",
            "generalInformation": "3. Informazioni generali sulla sperimentazione clinica",
            "population": "4. Popolazione dei partecipanti",
            "investigationalProducts": "5. Medicinali sperimentali utilizzati",
            "adverseReactions": "6. Descrizione delle reazioni avverse e della loro frequenza",
            "overallResults": "7. Risultati complessivi della sperimentazione clinica",
            "commentsOnOutcome": "8. Commenti sull'esito della sperimentazione clinica",
            "followUpTrials": "9. Se sono previste sperimentazioni cliniche di follow-up",
            "moreInformation": "10. Dove trovare ulteriori informazioni",
        },
        eu_trial_number="Numero UE della sperimentazione",
        untitled="Sintesi dei risultati della sperimentazione",
        logo_alt="Logo di {sponsor}",
    ),
    "nl": Headings(
        language="nl",
        sections={
            "trialIdentification": "1. Identificatie van de klinische proef",
            "sponsorContact": "2. Naam en contactgegevens van de opdrachtgever",
            "generalInformation": "3. Algemene informatie over de klinische proef",
            "population": "4. Populatie van de deelnemers",
            "investigationalProducts": "5. Gebruikte geneesmiddelen voor onderzoek",
            "adverseReactions": "6. Beschrijving van de bijwerkingen en hoe vaak ze voorkwamen",
            "overallResults": "7. Algemene resultaten van de klinische proef",
            "commentsOnOutcome": "8. Opmerkingen over de uitkomst van de klinische proef",
            "followUpTrials": "9. Of er vervolgproeven gepland zijn",
            "moreInformation": "10. Waar meer informatie te vinden is",
        },
        eu_trial_number="EU-nummer van de proef",
        untitled="Samenvatting van de resultaten van de proef",
        logo_alt="Logo van {sponsor}",
    ),
}


def headings_for(language: str) -> Headings:
    """The headings for a BCP 47 tag by its primary language subtag (``de-AT`` -> ``de``); English when
    the language has none (its ``language`` then says ``en``, so the caller can mark the change)."""
    return HEADINGS.get(language.split("-", 1)[0].lower(), HEADINGS[FALLBACK_LANGUAGE])
